'use client';

import { useState, type FormEvent } from 'react';
import type { User } from '@/lib/users/users';
import { userRoles, type UserRole } from '@/lib/auth/roles';
import { ApiRequestError, errorMessage, sendJson } from '@/components/api/fetch-json';
import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { Spinner } from '@/components/ui/spinner';
import { card, fieldLabel, primaryButton, sectionTitle, textInput } from '@/components/ui/styles';
import { PasswordField } from './password-field';

const empty = { email: '', name: '', role: 'viewer' as UserRole, password: '' };

/** Adds a user with a role and a first password; the server's field errors show under the fields. */
export function UserCreateForm({ onCreated, onError }: { onCreated(user: User, password: string): void; onError(message: string): void }) {
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof empty>(key: K, value: (typeof empty)[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const body = { email: draft.email.trim(), role: draft.role, password: draft.password, ...(draft.name.trim() ? { name: draft.name.trim() } : {}) };
      const user = await sendJson<User>('POST', '/api/users', body);
      onCreated(user, draft.password);
      setDraft(empty);
    } catch (error) {
      if (error instanceof ApiRequestError && error.fields.length) setErrors(Object.fromEntries(error.fields.map((f) => [f.path, f.message])));
      onError(errorMessage(error, 'Could not create the user'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className={`${card} space-y-4 p-4`} aria-labelledby="user-create-title" data-testid="user-create-form" noValidate>
      <h2 id="user-create-title" className={sectionTitle}>
        Add a user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1.2fr_1fr_0.7fr]">
        <div>
          <label htmlFor="new-user-email" className={fieldLabel}>
            Email
          </label>
          <input
            id="new-user-email"
            type="email"
            autoComplete="off"
            required
            className={`${textInput} w-full`}
            value={draft.email}
            onChange={(e) => set('email', e.target.value)}
            data-testid="new-user-email"
            {...invalidProps('new-user-email-error', errors.email)}
          />
          <FieldMessage id="new-user-email-error" message={errors.email} />
        </div>
        <div>
          <label htmlFor="new-user-name" className={fieldLabel}>
            Name <span className="font-normal">(optional)</span>
          </label>
          <input
            id="new-user-name"
            className={`${textInput} w-full`}
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            data-testid="new-user-name"
            {...invalidProps('new-user-name-error', errors.name)}
          />
          <FieldMessage id="new-user-name-error" message={errors.name} />
        </div>
        <div>
          <label htmlFor="new-user-role" className={fieldLabel}>
            Role
          </label>
          <select id="new-user-role" className={`${textInput} w-full capitalize`} value={draft.role} onChange={(e) => set('role', e.target.value as UserRole)} data-testid="new-user-role">
            {userRoles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-72 flex-1">
          <PasswordField value={draft.password} onChange={(v) => set('password', v)} error={errors.password} label="First password" testId="new-user-password" />
        </div>
        <button type="submit" className={primaryButton} disabled={busy} data-testid="new-user-submit">
          {busy ? <Spinner /> : null}
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
