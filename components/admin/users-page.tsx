'use client';

import { useState } from 'react';
import type { User } from '@/lib/users/users';
import { roleAtLeast, type UserRole } from '@/lib/auth/roles';
import { errorMessage, sendJson } from '@/components/api/fetch-json';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useFeedback } from '@/components/ui/feedback';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/state-panels';
import { card } from '@/components/ui/styles';
import { AdminHeader } from './admin-header';
import { PasswordField } from './password-field';
import { Toast } from './toast';
import { UserCreateForm } from './user-create-form';
import { UserCreated } from './user-created';
import { UsersTable } from './users-table';
import { useResource } from './use-resource';

type Pending = { step: 'disable'; user: User } | { step: 'demote'; user: User; role: UserRole } | { step: 'password'; user: User };

/** Users and roles: add people, change what they may do, disable them, reset their password. */
export function UsersPage({ selfId }: { selfId: string | null }) {
  const { resource, retry, update } = useResource<{ users: User[] }>('/api/users', 'users');
  const { feedback, say, clear } = useFeedback();
  const [pending, setPending] = useState<Pending | null>(null);
  const [password, setPassword] = useState('');
  const [busyId, setBusyId] = useState<string | null>(null);
  const [created, setCreated] = useState<{ user: User; password: string } | null>(null);

  async function patch(user: User, body: Record<string, unknown>, done: string) {
    setPending(null);
    setBusyId(user.id);
    try {
      const updated = await sendJson<User>('PATCH', `/api/users/${encodeURIComponent(user.id)}`, body);
      update((data) => ({ users: data.users.map((u) => (u.id === updated.id ? updated : u)) }));
      say('ok', done);
    } catch (error) {
      say('error', errorMessage(error, `Could not change ${user.email}`));
    } finally {
      setBusyId(null);
    }
  }

  const changeRole = (user: User, role: UserRole) => {
    // Taking rights away from yourself is easy to regret: ask first.
    if (user.id === selfId && !roleAtLeast(role, user.role)) setPending({ step: 'demote', user, role });
    else void patch(user, { role }, `${user.email} is now ${role}`);
  };

  let body;
  if (resource.state === 'loading') body = <LoadingState label="Loading users…" testId="users-loading" />;
  else if (resource.state === 'error') body = <ErrorState title="Could not load users." message={resource.message} onRetry={retry} testId="users-error" className="m-4" />;
  else if (resource.data.users.length === 0) body = <EmptyState title="No users yet" testId="users-empty">Add the first one above.</EmptyState>;
  else
    body = (
      <UsersTable
        users={resource.data.users}
        selfId={selfId}
        busyId={busyId}
        onRole={changeRole}
        onDisable={(user) => setPending({ step: 'disable', user })}
        onEnable={(user) => void patch(user, { disabled: false }, `${user.email} can sign in again`)}
        onResetPassword={(user) => {
          setPassword('');
          setPending({ step: 'password', user });
        }}
      />
    );

  return (
    <div className="space-y-6" data-testid="users-page">
      <AdminHeader title="Users">People who sign in to the dashboard and what their role lets them do. Every change is in the audit log.</AdminHeader>
      {created ? <UserCreated user={created.user} password={created.password} onDone={() => setCreated(null)} /> : null}
      <UserCreateForm
        onCreated={(user, firstPassword) => {
          update((data) => ({ users: [...data.users, user].sort((a, b) => a.email.localeCompare(b.email)) }));
          setCreated({ user, password: firstPassword });
          say('ok', `Created ${user.role} ${user.email}`);
        }}
        onError={(message) => say('error', message)}
      />
      <section className={card} aria-label="Users">
        {body}
      </section>

      <ConfirmDialog
        open={pending?.step === 'disable'}
        title={`Disable ${pending?.user.email ?? ''}?`}
        confirmLabel="Disable"
        testId="confirm-disable"
        onCancel={() => setPending(null)}
        onConfirm={() => pending && void patch(pending.user, { disabled: true }, `${pending.user.email} is disabled`)}
      >
        They are signed out at once and cannot sign in until enabled again. Their history stays.
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.step === 'demote'}
        title="Lower your own role?"
        confirmLabel={pending?.step === 'demote' ? `Become ${pending.role}` : 'Change'}
        testId="confirm-demote"
        onCancel={() => setPending(null)}
        onConfirm={() => pending?.step === 'demote' && void patch(pending.user, { role: pending.role }, `You are now ${pending.role}`)}
      >
        You will lose the rights of your current role at once, including this page if you are no longer an admin.
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.step === 'password'}
        title={`New password for ${pending?.user.email ?? ''}`}
        confirmLabel="Set password"
        testId="confirm-password"
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (password.length < 12) return say('error', 'The new password must be at least 12 characters');
          if (pending) void patch(pending.user, { password }, `New password set for ${pending.user.email}; hand it over safely`);
        }}
      >
        <div className="space-y-2">
          <p>Their current password stops working. Sessions they already have stay signed in.</p>
          <PasswordField value={password} onChange={setPassword} label="New password" testId="reset-password" />
        </div>
      </ConfirmDialog>
      <Toast feedback={feedback} onDismiss={clear} />
    </div>
  );
}
