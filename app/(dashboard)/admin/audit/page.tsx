import type { Metadata } from 'next';
import { AdminRefused } from '@/components/admin/admin-refused';
import { AuditPage } from '@/components/admin/audit-page';
import { getAuditTargetNames } from '@/lib/audit/names';
import { canReadAudit } from '@/lib/auth/permissions';
import { getRuntime } from '@/lib/runtime';
import { getCurrentActor } from '../../current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log' };

export default async function AdminAuditPage() {
  const actor = await getCurrentActor();
  if (!canReadAudit(actor)) return <AdminRefused role={actor.role} />;
  return <AuditPage names={await getAuditTargetNames(getRuntime().db)} />;
}
