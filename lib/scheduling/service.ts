import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit';
import type { Runtime } from '@/lib/runtime';
import { SLOT_JOB } from './jobs';
import { collections } from '@/lib/store/collections';

/** The scheduler as `GET /api/scheduler` shows it. */
export async function getSchedulerView(runtime: Pick<Runtime, 'scheduler' | 'db' | 'config'>) {
  const state = runtime.scheduler.state();
  const pendingSlots = await collections.agendaJobs(runtime.db).countDocuments({ name: SLOT_JOB });
  const instances = await collections.instances(runtime.db).find().toArray();
  const aliveAfter = Date.now() - runtime.config.livenessIntervalMs * 3;
  return {
    state: state.paused ? ('paused' as const) : ('running' as const),
    pausedAt: state.pausedAt?.toISOString() ?? null,
    pausedBy: state.pausedBy ?? null,
    resumedAt: state.resumedAt?.toISOString() ?? null,
    resumedBy: state.resumedBy ?? null,
    pendingSlots,
    runningRuns: instances.filter((i) => i.lastHeartbeatAt.getTime() > aliveAfter).reduce((sum, i) => sum + i.runningRuns, 0),
    instances: instances.length,
  };
}

/**
 * Pauses or resumes, tells every live client at once through a heartbeat, and answers the new view.
 * The audit log records the request, with the state change when there was one.
 */
export async function setPaused(runtime: Runtime, paused: boolean, actor: Actor) {
  const stateOf = (isPaused: boolean) => (isPaused ? 'paused' : 'running');
  const before = stateOf(runtime.scheduler.isPaused());
  if (paused) await runtime.scheduler.pause(actor);
  else await runtime.scheduler.resume(actor);
  await recordAudit(runtime.db, {
    actor,
    action: paused ? 'scheduler.pause' : 'scheduler.resume',
    target: { type: 'scheduler', id: 'scheduler' },
    before: { state: before },
    after: { state: stateOf(paused) },
  });
  runtime.bus.emit('heartbeat', {
    instanceId: runtime.instanceId,
    at: new Date().toISOString(),
    uptimeS: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    scheduler: paused ? 'paused' : 'running',
    runningRuns: runtime.scheduler.runningRuns(),
    db: await runtime.dbHealth(),
  });
  return getSchedulerView(runtime);
}
