'use client';

import { fieldLabel, ghostButton, textInput } from '@/components/ui/styles';
import { runStatuses, runTriggers } from '@/lib/domain/run';
import type { RunFilter } from './run-filter';

interface Props {
  connectors: Array<{ id: string; name: string }>;
  filter: RunFilter;
  /** The `before` cursor or time, if any. */
  before: string | null;
  onChange(filter: RunFilter, before: string | null): void;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cursor's (or ISO time's) moment as a local `datetime-local` value. */
function toLocalInput(moment: string | null | undefined): string {
  const at = moment ? new Date(moment.split('~')[0] ?? '') : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A `datetime-local` value (browser time) as an ISO moment, or null when empty. */
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

/** A moment picked in browser time, bounded by `min` and `max` (ISO moments or cursors). */
function MomentField(props: {
  name: 'after' | 'before';
  label: string;
  value: string | null | undefined;
  min?: string | null;
  max?: string | null;
  onChange(moment: string | null): void;
}) {
  const id = `filter-${props.name}`;
  return (
    <div className="w-52">
      <label htmlFor={id} className={fieldLabel}>
        {props.label}
      </label>
      <input
        id={id}
        type="datetime-local"
        className={`${textInput} w-full`}
        value={toLocalInput(props.value)}
        min={toLocalInput(props.min) || undefined}
        max={toLocalInput(props.max) || undefined}
        onChange={(e) => props.onChange(fromLocalInput(e.target.value))}
        data-testid={id}
      />
    </div>
  );
}

/** Connector, status, trigger and "queued after / before" filters; every change goes to the URL. */
export function RunsFilters({ connectors, filter, before, onChange }: Props) {
  // A "queued before" the user picked is a filter and stays; a page cursor (time~id) belongs to the list it paged.
  const keptBefore = before?.includes('~') ? null : before;
  const set = (key: keyof RunFilter, value: string) => onChange({ ...filter, [key]: value || undefined }, keptBefore);
  const active = Object.values(filter).some(Boolean) || before !== null;
  return (
    <form role="search" aria-label="Filter runs" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <div className="w-52">
        <label htmlFor="filter-connector" className={fieldLabel}>
          Connector
        </label>
        <select id="filter-connector" className={`${textInput} w-full`} value={filter.connectorId ?? ''} onChange={(e) => set('connectorId', e.target.value)} data-testid="filter-connector">
          <option value="">All connectors</option>
          {connectors.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor="filter-status" className={fieldLabel}>
          Status
        </label>
        <select id="filter-status" className={`${textInput} w-full`} value={filter.status ?? ''} onChange={(e) => set('status', e.target.value)} data-testid="filter-status">
          <option value="">Any status</option>
          {runStatuses.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor="filter-trigger" className={fieldLabel}>
          Trigger
        </label>
        <select id="filter-trigger" className={`${textInput} w-full`} value={filter.trigger ?? ''} onChange={(e) => set('trigger', e.target.value)} data-testid="filter-trigger">
          <option value="">Any trigger</option>
          {runTriggers.map((t) => (
            <option key={t} value={t}>
              {t.charAt(0).toUpperCase() + t.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <MomentField
        name="after"
        label="Queued after"
        value={filter.after}
        max={before}
        onChange={(after) => set('after', after ?? '')}
      />
      <MomentField name="before" label="Queued before" value={before} min={filter.after} onChange={(moment) => onChange(filter, moment)} />
      {active ? (
        <button type="button" className={ghostButton} onClick={() => onChange({}, null)} data-testid="filter-clear">
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
