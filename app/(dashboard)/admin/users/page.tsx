import type { Metadata } from 'next';
import { AdminRefused } from '@/components/admin/admin-refused';
import { UsersPage } from '@/components/admin/users-page';
import { canManageUsers } from '@/lib/auth/permissions';
import { getCurrentActor } from '../../current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Users' };

export default async function AdminUsersPage() {
  const actor = await getCurrentActor();
  if (!canManageUsers(actor)) return <AdminRefused role={actor.role} />;
  return <UsersPage selfId={actor.kind === 'user' ? actor.id : null} />;
}
