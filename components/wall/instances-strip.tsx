'use client';

import type { Overview } from '@/lib/overview';
import { STALE_AFTER_HEARTBEATS } from '@/components/live/connection-state';
import { formatRelative } from '@/components/time/format';
import { useNow } from '@/components/time/now-provider';
import type { WallAccess } from './wall-page';

/** Instances listed by name; more than this become "+N more". */
const SHOWN = 4;

/** The server instances' heartbeats along the bottom edge, and how this screen is signed in. */
export function InstancesStrip({
  instances,
  heartbeatIntervalMs,
  access,
  viewer,
  revoked,
}: {
  instances: Overview['instances'];
  heartbeatIntervalMs: number;
  access: WallAccess;
  viewer: string;
  /** Without access, heartbeats no longer arrive here: the instances' state is unknown, not silent. */
  revoked: boolean;
}) {
  const { now, hydrated } = useNow();
  const shown = instances.slice(-SHOWN);
  return (
    <footer className="flex items-center justify-between gap-[2rem] border-t border-slate-800 bg-slate-900/70 px-[1.5rem] py-[0.6rem] text-[1rem]">
      <ul className={`flex min-w-0 items-center gap-[1.8rem] ${revoked ? 'opacity-30 grayscale' : ''}`} aria-label="Instances" data-testid="wall-instances" aria-hidden={revoked || undefined}>
        {shown.length === 0 ? <li className="text-slate-400">No instance has reported a heartbeat yet.</li> : null}
        {shown.map((instance) => {
          const alive = now - Date.parse(instance.lastHeartbeatAt) < STALE_AFTER_HEARTBEATS * heartbeatIntervalMs;
          return (
            <li key={instance.id} data-testid="wall-instance" data-alive={alive} className="flex min-w-0 items-center gap-[0.5rem]">
              <span aria-hidden="true" className={`size-[0.75rem] shrink-0 rounded-full ${alive ? 'bg-emerald-400' : 'bg-red-500'}`} />
              <span className="truncate font-semibold">{instance.host}</span>
              <span className={`whitespace-nowrap tabular-nums ${alive ? 'text-slate-400' : 'font-semibold text-red-400'}`}>
                {alive ? 'heartbeat' : 'silent since'} {hydrated ? formatRelative(instance.lastHeartbeatAt, now) : ''} · {instance.runningRuns} running
              </span>
            </li>
          );
        })}
        {instances.length > SHOWN ? <li className="text-slate-400">+{instances.length - SHOWN} more</li> : null}
      </ul>
      <p className="shrink-0 text-slate-500">{access === 'display' ? `Display link · ${viewer}` : `Signed in · ${viewer}`}</p>
    </footer>
  );
}
