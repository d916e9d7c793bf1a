'use client';

import { useState } from 'react';
import type { Policies } from '@/lib/connectors/schema';
import type { Connector } from '@/lib/connectors/store';
import { ApiRequestError, errorMessage, sendJson } from '@/components/api/fetch-json';
import { fieldErrorsUnder } from '@/components/forms/field-errors';
import { FeedbackText, useFeedback } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { primaryButton, secondaryButton } from '@/components/ui/styles';
import { policyFields, type PolicyKey } from './policy-fields';
import { PolicyInput } from './policy-input';

type Draft = Record<PolicyKey, string>;

const toDraft = (policies: Policies) => Object.fromEntries(policyFields.map((f) => [f.key, String(policies[f.key])])) as Draft;

/** Numbers go as numbers (an empty box as null, which the server names); choices as they are, yes/no as booleans. */
const toValue = (key: PolicyKey, text: string) =>
  policyFields.find((f) => f.key === key && 'choices' in f) ? (text === 'true' ? true : text === 'false' ? false : text) : text.trim() === '' ? null : Number(text);

/** The fields that differ from the saved policies; the two retry waits travel together so their order is checked. */
function patchOf(draft: Draft, saved: Policies): Record<string, unknown> {
  const changed = policyFields.filter((f) => draft[f.key] !== String(saved[f.key])).map((f) => f.key);
  if (changed.includes('retryBackoffSeconds') !== changed.includes('retryMaxBackoffSeconds')) changed.push(changed.includes('retryBackoffSeconds') ? 'retryMaxBackoffSeconds' : 'retryBackoffSeconds');
  return Object.fromEntries(changed.map((key) => [key, toValue(key, draft[key])]));
}

/** Admins change policies; Save sends only the changed ones (the server merges them) and shows errors by field. */
export function PoliciesForm({ connector, onSaved }: { connector: Connector; onSaved(connector: Connector): void }) {
  const [draft, setDraft] = useState(() => toDraft(connector.policies));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const { feedback, say, clear } = useFeedback();
  const [base, setBase] = useState(connector.policies);
  if (JSON.stringify(base) !== JSON.stringify(connector.policies)) {
    // Saved elsewhere: follow it unless this form holds unsaved changes.
    if (Object.keys(patchOf(draft, base)).length === 0) setDraft(toDraft(connector.policies));
    setBase(connector.policies);
  }
  const patch = patchOf(draft, connector.policies);
  const dirty = Object.keys(patch).length > 0;

  async function save() {
    setSaving(true);
    clear();
    try {
      const saved = await sendJson<Connector>('PATCH', `/api/connectors/${encodeURIComponent(connector.id)}`, { policies: patch });
      setErrors({});
      setDraft(toDraft(saved.policies));
      onSaved(saved);
      say('ok', 'Policies saved');
    } catch (error) {
      const { byPath, rest } = error instanceof ApiRequestError ? fieldErrorsUnder(error.fields, 'policies') : { byPath: {}, rest: [] };
      setErrors(byPath);
      say('error', Object.keys(byPath).length && !rest.length ? 'Not saved: fix the marked fields' : errorMessage(error, 'Could not save'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      className="space-y-4"
      data-testid="policies-form"
    >
      <div className="grid gap-x-6 gap-y-4 sm:grid-cols-2">
        {policyFields.map((field) => (
          <PolicyInput key={field.key} field={field} value={draft[field.key]} error={errors[field.key]} onChange={(value) => setDraft((d) => ({ ...d, [field.key]: value }))} />
        ))}
      </div>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <FeedbackText feedback={feedback} testId="policies-feedback" />
        {dirty ? (
          <button
            type="button"
            className={`${secondaryButton} px-3 py-1.5`}
            onClick={() => {
              setDraft(toDraft(connector.policies));
              setErrors({});
            }}
          >
            Discard changes
          </button>
        ) : null}
        <button type="submit" className={primaryButton} disabled={saving || !dirty} data-testid="policies-save">
          {saving ? <Spinner /> : null}
          {saving ? 'Saving…' : 'Save policies'}
        </button>
      </div>
    </form>
  );
}
