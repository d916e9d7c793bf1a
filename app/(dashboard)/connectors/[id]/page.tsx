import type { Metadata } from 'next';
import { ConnectorPage } from '@/components/connector/connector-page';
import { permissionsOf } from '@/lib/auth/permissions';
import { getRuntime } from '@/lib/runtime';
import { getCurrentActor } from '../../current-actor';
import { loadConnector } from './load-connector';

type Props = { params: Promise<{ id: string }> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await loadConnector(decodeURIComponent((await params).id))).connector.name };
}

export default async function ConnectorDetailPage({ params }: Props) {
  const [actor, initial] = await Promise.all([getCurrentActor(), loadConnector(decodeURIComponent((await params).id))]);
  return <ConnectorPage initial={initial} can={permissionsOf(actor)} bounds={getRuntime().config.intervalBounds} />;
}
