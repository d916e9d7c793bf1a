import type { Metadata } from 'next';
import { OverviewPage } from '@/components/overview/overview-page';
import { permissionsOf } from '@/lib/auth/permissions';
import { getOverview } from '@/lib/overview';
import { getRuntime } from '@/lib/runtime';
import { getCurrentActor } from './current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Overview' };

export default async function HomePage() {
  const actor = await getCurrentActor();
  return <OverviewPage initial={await getOverview(getRuntime())} can={permissionsOf(actor)} />;
}
