import type { Metadata } from 'next';
import { RunPage } from '@/components/run/run-page';
import { canCancelRun } from '@/lib/auth/permissions';
import { RUN_LOG_LIMIT } from '@/lib/runs/store';
import { getCurrentActor } from '../../current-actor';
import { decodeSegment, loadRun } from './load-run';

type Props = { params: Promise<{ id: string }> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run of ${(await loadRun(decodeSegment((await params).id))).connectorName}` };
}

export default async function RunDetailPage({ params }: Props) {
  const [actor, { run, connectorName }] = await Promise.all([getCurrentActor(), loadRun(decodeSegment((await params).id))]);
  return <RunPage initial={run} connectorName={connectorName} canCancel={canCancelRun(actor)} logLimit={RUN_LOG_LIMIT} />;
}
