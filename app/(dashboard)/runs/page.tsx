import type { Metadata } from 'next';
import { RunsPage } from '@/components/runs/runs-page';
import { listConnectors } from '@/lib/connectors/store';
import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Runs' };

export default async function RunHistoryPage() {
  const connectors = await listConnectors({ db: getRuntime().db });
  return <RunsPage connectors={connectors.map((c) => ({ id: c._id, name: c.name }))} />;
}
