'use client';

import type { Overview } from '@/lib/overview';
import { connectionStateOf, needsBanner } from '@/components/live/connection-state';
import { useLiveStatus } from '@/components/live/use-live';
import { useOverview } from '@/components/overview/use-overview';
import { useNow } from '@/components/time/now-provider';
import { ChartCarousel } from './chart-carousel';
import { ConnectorGrid } from './connector-grid';
import { InstancesStrip } from './instances-strip';
import { UpcomingPanel } from './upcoming-panel';
import { WallAlert } from './wall-alert';
import { WallHeader } from './wall-header';
import type { WallAccess } from './wall-page';

/** The whole screen, one viewport high: header, alert, connectors beside upcoming runs and charts, instances. */
export function WallBoard({ initial, access, viewer, revoked }: { initial: Overview; access: WallAccess; viewer: string; revoked: boolean }) {
  const { overview } = useOverview(initial);
  const status = useLiveStatus();
  const { now, hydrated } = useNow();
  const state = connectionStateOf(status, now);
  const warn = hydrated && needsBanner(status, now);
  const shown = revoked ? 'revoked' : warn ? state : 'live';
  return (
    <div data-testid="wall" data-state={shown} className="dark fixed inset-0 flex flex-col overflow-hidden bg-slate-950 text-slate-100 [color-scheme:dark]">
      <WallHeader overview={overview} revoked={revoked} />
      {shown === 'live' ? null : <WallAlert kind={shown} since={status.since} lastHeartbeat={status.lastHeartbeat?.at ?? null} />}
      <main
        aria-hidden={revoked || undefined}
        className={`grid min-h-0 flex-1 grid-cols-[minmax(0,2.1fr)_minmax(0,1fr)] gap-[1rem] px-[1.25rem] py-[1rem] transition duration-700 ${
          revoked ? 'opacity-15 blur-[2px] grayscale' : warn ? 'opacity-45 grayscale' : ''
        }`}
      >
        <ConnectorGrid connectors={overview.connectors} paused={overview.scheduler.state === 'paused'} />
        <aside className="flex min-h-0 flex-col gap-[1rem]">
          <UpcomingPanel connectors={overview.connectors} paused={overview.scheduler.state === 'paused'} />
          <ChartCarousel connectors={overview.connectors} />
        </aside>
      </main>
      <InstancesStrip instances={overview.instances} heartbeatIntervalMs={overview.heartbeatIntervalMs} access={access} viewer={viewer} revoked={revoked} />
    </div>
  );
}
