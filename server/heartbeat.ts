import os from 'node:os';
import type { Logger } from '@/lib/logger';
import type { EventBus, Runtime } from '@/lib/runtime';
import { collections } from '@/lib/store/collections';

/**
 * Emits a `heartbeat` every interval and records this instance in the `instances` collection, then and every
 * `recordEveryMs` in between (when shorter), so a long heartbeat interval does not slow down instance liveness.
 */
export function startHeartbeat(options: {
  runtime: Pick<Runtime, 'db' | 'instanceId' | 'startedAt' | 'scheduler' | 'dbHealth'>;
  bus: EventBus;
  intervalMs: number;
  recordEveryMs?: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  const { runtime, bus, intervalMs, logger } = options;
  let beating: Promise<void> = Promise.resolve();
  const beat = async (emit = true) => {
    const at = new Date();
    const db = await runtime.dbHealth();
    const scheduler = runtime.scheduler.isPaused() ? 'paused' : 'running';
    const runningRuns = runtime.scheduler.runningRuns();
    if (emit) bus.emit('heartbeat', {
      instanceId: runtime.instanceId,
      at: at.toISOString(),
      uptimeS: Math.round((at.getTime() - runtime.startedAt.getTime()) / 1000),
      scheduler,
      runningRuns,
      db,
    });
    if (db.ok) {
      await collections.instances(runtime.db)
        .updateOne(
          { _id: runtime.instanceId },
          { $set: { host: os.hostname(), pid: process.pid, startedAt: runtime.startedAt, lastHeartbeatAt: at, scheduler, runningRuns } },
          { upsert: true },
        )
        .catch((err) => logger.warn({ err }, 'could not record heartbeat'));
    }
  };
  const timer = setInterval(() => {
    beating = beat();
  }, intervalMs);
  const recordEveryMs = options.recordEveryMs ?? intervalMs;
  const recordTimer = recordEveryMs < intervalMs ? setInterval(() => (beating = beat(false)), recordEveryMs) : undefined;
  beating = beat();
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(recordTimer);
      await beating;
      await collections.instances(runtime.db).deleteOne({ _id: runtime.instanceId }).catch(() => {});
    },
  };
}
