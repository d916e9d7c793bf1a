'use client';

import { useState, type FormEvent } from 'react';
import type { ApiToken } from '@/lib/auth/tokens';
import { tokenRoles, type Role } from '@/lib/auth/roles';
import { ApiRequestError, errorMessage, sendJson } from '@/components/api/fetch-json';
import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { Spinner } from '@/components/ui/spinner';
import { card, fieldLabel, mutedText, primaryButton, sectionTitle, textInput } from '@/components/ui/styles';

const roleHelp: Record<Role, string> = {
  display: 'read-only wall screen',
  viewer: 'reads all but secrets',
  operator: 'also runs and pauses',
  admin: 'full control',
};

/** Creates an API or display token; the answer (with the token in clear text) goes to `onCreated` once. */
export function TokenCreateForm({ onCreated, onError }: { onCreated(created: ApiToken & { token: string }): void; onError(message: string): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('display');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      onCreated(await sendJson<ApiToken & { token: string }>('POST', '/api/tokens', { name, role }));
      setName('');
    } catch (error) {
      if (error instanceof ApiRequestError && error.fields.length) setErrors(Object.fromEntries(error.fields.map((f) => [f.path, f.message])));
      onError(errorMessage(error, 'Could not create the token'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className={`${card} space-y-4 p-4`} aria-labelledby="token-create-title" data-testid="token-create-form" noValidate>
      <div>
        <h2 id="token-create-title" className={sectionTitle}>
          Create a token
        </h2>
        <p className={`text-sm ${mutedText}`}>For scripts (Authorization: Bearer) or, with the display role, for the wall screen in the ops room.</p>
      </div>
      <div className="flex flex-wrap items-start gap-4">
        <div className="min-w-64 flex-1">
          <label htmlFor="new-token-name" className={fieldLabel}>
            Name
          </label>
          <input
            id="new-token-name"
            className={`${textInput} w-full`}
            placeholder="e.g. ops wall, nightly export script"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="new-token-name"
            {...invalidProps('new-token-name-error', errors.name)}
          />
          <FieldMessage id="new-token-name-error" message={errors.name} />
        </div>
        <div className="w-72">
          <label htmlFor="new-token-role" className={fieldLabel}>
            Role
          </label>
          <select id="new-token-role" className={`${textInput} w-full`} value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-token-role">
            {tokenRoles.map((r) => (
              <option key={r} value={r}>
                {r} — {roleHelp[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={`${primaryButton} mt-5`} disabled={busy} data-testid="new-token-submit">
          {busy ? <Spinner /> : null}
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
