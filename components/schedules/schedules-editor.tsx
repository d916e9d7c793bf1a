'use client';

import { useState } from 'react';
import type { Connector } from '@/lib/connectors/store';
import { ApiRequestError, errorMessage, sendJson } from '@/components/api/fetch-json';
import { fieldErrorsUnder, itemErrors } from '@/components/forms/field-errors';
import { FeedbackText, useFeedback } from '@/components/ui/feedback';
import { EmptyState } from '@/components/ui/state-panels';
import { Spinner } from '@/components/ui/spinner';
import { primaryButton, secondaryButton } from '@/components/ui/styles';
import { changed, newDraft, toBody, toDraft, type IntervalBounds, type ScheduleDraft } from './schedule-draft';
import { ScheduleRow } from './schedule-row';

interface Props {
  connector: Connector;
  bounds: IntervalBounds;
  onSaved(connector: Connector): void;
}

/** Admins edit all schedules of a connector at once; Save sends them in one PATCH and shows each field's error beside it. */
export function SchedulesEditor({ connector, bounds, onSaved }: Props) {
  const [drafts, setDrafts] = useState(() => connector.schedules.map((s, i) => toDraft(s, i, bounds)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const { feedback, say, clear } = useFeedback();
  const [base, setBase] = useState(connector.schedules);
  if (JSON.stringify(base) !== JSON.stringify(connector.schedules)) {
    // Saved elsewhere (another tab, the API): follow it unless this editor holds unsaved changes.
    if (!changed(drafts, base, bounds)) setDrafts(connector.schedules.map((s, i) => toDraft(s, i, bounds)));
    setBase(connector.schedules);
  }
  const dirty = changed(drafts, connector.schedules, bounds);

  const update = (index: number, key: string, change: Partial<ScheduleDraft>) => {
    setDrafts((list) => list.map((d) => (d.key === key ? { ...d, ...change } : d)));
    // An edited field's old error no longer applies; a new type makes all of the schedule's errors moot.
    const stale = (path: string) => path.startsWith(`${index}.`) && ('type' in change || Object.keys(change).some((field) => path === `${index}.${field}`));
    setErrors((all) => Object.fromEntries(Object.entries(all).filter(([path]) => !stale(path))));
  };
  const add = (type: ScheduleDraft['type']) => setDrafts((list) => [...list, newDraft(type, list.map((d) => d.id), bounds)]);
  const reset = () => {
    setDrafts(connector.schedules.map((s, i) => toDraft(s, i, bounds)));
    setErrors({});
    clear();
  };

  async function save() {
    setSaving(true);
    clear();
    try {
      const saved = await sendJson<Connector>('PATCH', `/api/connectors/${encodeURIComponent(connector.id)}`, { schedules: drafts.map(toBody) });
      setErrors({});
      setDrafts(saved.schedules.map((s, i) => toDraft(s, i, bounds)));
      onSaved(saved);
      say('ok', 'Schedules saved; the scheduler follows them now');
    } catch (error) {
      const { byPath, rest } = error instanceof ApiRequestError ? fieldErrorsUnder(error.fields, 'schedules') : { byPath: {}, rest: [] };
      setErrors(byPath);
      const listError = byPath[''];
      const summary = rest.length ? rest.map((f) => `${f.path}: ${f.message}`).join('; ') : listError ? `Schedules ${listError}` : null;
      say('error', Object.keys(byPath).length && !summary ? 'Not saved: fix the marked fields' : (summary ?? errorMessage(error, 'Could not save')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="space-y-4">
      {drafts.length === 0 ? (
        <EmptyState title="No schedules" className="py-4" testId="schedules-empty">
          This connector runs only when someone starts it. Add an interval or a cron schedule to run it automatically.
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {drafts.map((draft, index) => (
            <ScheduleRow
              key={draft.key}
              draft={draft}
              bounds={bounds}
              errors={itemErrors(errors, index)}
              onChange={(change) => update(index, draft.key, change)}
              onRemove={() => {
                setDrafts((list) => list.filter((d) => d.key !== draft.key));
                setErrors({}); // errors are by position, which just moved
              }}
            />
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => add('interval')} data-testid="schedule-add-interval">
          + Interval
        </button>
        <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => add('cron')} data-testid="schedule-add-cron">
          + Cron
        </button>
        <span className="grow" />
        <FeedbackText feedback={feedback} testId="schedule-feedback" />
        {dirty ? (
          <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={reset} disabled={saving}>
            Discard changes
          </button>
        ) : null}
        <button type="button" className={primaryButton} onClick={() => void save()} disabled={saving || !dirty} data-testid="schedule-save">
          {saving ? <Spinner /> : null}
          {saving ? 'Saving…' : 'Save schedules'}
        </button>
      </div>
    </div>
  );
}
