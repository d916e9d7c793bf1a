import type { ReactNode } from 'react';
import { LiveBanner } from '@/components/live/live-banner';
import { LiveProvider } from '@/components/live/live-provider';
import { TopBar } from '@/components/layout/top-bar';
import { NowProvider } from '@/components/time/now-provider';
import { permissionsOf } from '@/lib/auth/permissions';
import { getRuntime } from '@/lib/runtime';
import { getCurrentActor } from './current-actor';
import { getRequestTime } from './request-time';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await getCurrentActor();
  const { heartbeatIntervalMs } = getRuntime().config;
  const can = permissionsOf(actor);
  return (
    <NowProvider initial={getRequestTime()}>
      <LiveProvider heartbeatIntervalMs={heartbeatIntervalMs}>
        <TopBar email={actor.kind === 'user' ? actor.email : actor.name} role={actor.role} admin={can.manageUsers || can.manageTokens || can.readAudit} />
        <LiveBanner />
        <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </LiveProvider>
    </NowProvider>
  );
}
