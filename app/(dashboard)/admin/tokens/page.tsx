import type { Metadata } from 'next';
import { AdminRefused } from '@/components/admin/admin-refused';
import { TokensPage } from '@/components/admin/tokens-page';
import { canManageTokens } from '@/lib/auth/permissions';
import { getCurrentActor } from '../../current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API & display tokens' };

export default async function AdminTokensPage() {
  const actor = await getCurrentActor();
  if (!canManageTokens(actor)) return <AdminRefused role={actor.role} />;
  return <TokensPage />;
}
