import { getAllStatuses } from '@/lib/connectors/service';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Runtime } from '@/lib/runtime';
import { collections } from '@/lib/store/collections';

/** An instance counts as alive while its record is younger than three liveness intervals (see Config). */
const ALIVE_HEARTBEATS = 3;

export interface Overview {
  connectors: ConnectorStatus[];
  scheduler: { state: 'running' | 'paused' };
  instances: Array<{ id: string; host: string; startedAt: string; lastHeartbeatAt: string; alive: boolean; runningRuns: number }>;
  heartbeatIntervalMs: number;
  serverTime: string;
}

/** Everything the dashboard home needs in one answer; live events keep it fresh afterwards. */
export async function getOverview(runtime: Runtime): Promise<Overview> {
  const now = new Date();
  const [connectors, instances] = await Promise.all([
    getAllStatuses(runtime),
    collections.instances(runtime.db).find().sort({ startedAt: 1 }).toArray(),
  ]);
  const staleAfter = runtime.config.livenessIntervalMs * ALIVE_HEARTBEATS;
  return {
    connectors,
    scheduler: { state: runtime.scheduler.isPaused() ? 'paused' : 'running' },
    instances: instances.map((i) => ({
      id: i._id,
      host: i.host,
      startedAt: i.startedAt.toISOString(),
      lastHeartbeatAt: i.lastHeartbeatAt.toISOString(),
      alive: now.getTime() - i.lastHeartbeatAt.getTime() < staleAfter,
      runningRuns: i.runningRuns,
    })),
    heartbeatIntervalMs: runtime.config.heartbeatIntervalMs,
    serverTime: now.toISOString(),
  };
}
