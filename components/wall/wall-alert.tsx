'use client';

import { formatClock } from '@/components/time/format';
import { BlockedIcon, WarningIcon } from './icons';

type Kind = 'revoked' | 'stale' | 'reconnecting';

const looks: Record<Kind, string> = {
  revoked: 'bg-red-700 text-white',
  stale: 'bg-red-600 text-white',
  reconnecting: 'bg-amber-400 text-amber-950',
};

/** A full-width, unmissable line: access revoked, heartbeats stopped, or the connection is down. */
export function WallAlert({ kind, since, lastHeartbeat }: { kind: Kind; since: number; lastHeartbeat: string | null }) {
  const [title, detail] =
    kind === 'revoked'
      ? ['Access revoked', 'This screen’s display link was revoked by an administrator. Ask for a new link to show the wall here again.']
      : kind === 'stale'
        ? ['Data is stale', `No heartbeat from the server ${lastHeartbeat ? `since ${formatClock(lastHeartbeat)}` : 'since connecting'}. Figures below may be out of date.`]
        : ['Connection lost', `No connection to the server since ${formatClock(since)}. Reconnecting… Figures below may be out of date.`];
  return (
    <div role="alert" data-testid="wall-alert" data-kind={kind} className={`flex items-center gap-[1.25rem] px-[1.5rem] py-[0.9rem] ${looks[kind]}`}>
      {kind === 'revoked' ? <BlockedIcon className="size-[3rem] shrink-0" /> : <WarningIcon className={`size-[3rem] shrink-0 ${kind === 'reconnecting' ? 'motion-safe:animate-pulse' : ''}`} />}
      <div className="min-w-0">
        <p className="text-[2.1rem] leading-tight font-extrabold tracking-tight">{title}</p>
        <p className="text-[1.2rem] font-medium opacity-95">{detail}</p>
      </div>
    </div>
  );
}
