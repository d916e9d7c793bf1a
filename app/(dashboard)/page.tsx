import type { Metadata } from 'next';
import { OverviewPage } from '@/components/overview/overview-page';
import { permissionsOf } from '@/lib/auth/permissions';
import { getOverview } from '@/lib/overview';
import { parseOverviewFilter } from '@/lib/overview-filter';
import { getRuntime } from '@/lib/runtime';
import { getCurrentActor } from './current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Overview' };

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getCurrentActor();
  const query = await searchParams;
  const filter = parseOverviewFilter({ get: (name) => (typeof query[name] === 'string' ? query[name] : null) });
  return <OverviewPage initial={await getOverview(getRuntime())} initialFilter={filter} can={permissionsOf(actor)} />;
}
