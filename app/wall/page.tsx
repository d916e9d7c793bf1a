import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { WallNotice } from '@/components/wall/wall-notice';
import { WallPage } from '@/components/wall/wall-page';
import { NowProvider } from '@/components/time/now-provider';
import { actorLabel } from '@/lib/auth/actor';
import { canReadWall } from '@/lib/auth/permissions';
import { getPageActor } from '@/lib/auth/session';
import { getOverview } from '@/lib/overview';
import { getRuntime } from '@/lib/runtime';
import { getRequestTime } from '../(dashboard)/request-time';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Wall' };

/** Scales the whole screen with the viewport: every size on the wall is in rem, so 1080p and 4K look alike. */
const SCALE = 'html{font-size:clamp(12px,min(0.9vw,1.65vh),56px)}';

/** The ops-room wall: for anyone signed in, and for a screen opened through a display link (no login). */
export default async function Wall({ searchParams }: { searchParams: Promise<{ link?: string | string[] }> }) {
  const actor = await getPageActor();
  if (!actor || !canReadWall(actor)) {
    if ((await searchParams).link === 'invalid') return <WallNotice />;
    redirect('/login?callbackUrl=%2Fwall');
  }
  const display = actor.kind === 'token' && actor.role === 'display';
  return (
    <NowProvider initial={getRequestTime()}>
      <style>{SCALE}</style>
      <WallPage initial={await getOverview(getRuntime())} access={display ? 'display' : 'signed-in'} viewer={display ? actor.name : actorLabel(actor)} />
    </NowProvider>
  );
}
