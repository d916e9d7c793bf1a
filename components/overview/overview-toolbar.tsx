'use client';

import type { Health, HealthFilter, OverviewFilter, OverviewView } from '@/lib/overview-filter';
import { focusRing, mutedText, textInput } from '@/components/ui/styles';

const statusLabels: Record<HealthFilter, string> = { all: 'All', running: 'Running', failing: 'Failing', disabled: 'Disabled', healthy: 'Healthy' };
const viewLabels: Record<OverviewView, string> = { cards: 'Cards', table: 'Table' };

const segment = (active: boolean) =>
  `inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-xs font-semibold whitespace-nowrap transition-colors ${focusRing} ${
    active ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-700 dark:text-white' : 'text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
  }`;
const group = 'inline-flex flex-wrap gap-0.5 rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800/80';

interface Props {
  filter: OverviewFilter;
  view: OverviewView;
  counts: Record<Health, number> & { all: number };
  shown: number;
  onChange(filter: OverviewFilter): void;
}

/** Search, status filter with counts, and the cards/table switch; the page keeps all three in its URL. */
export function OverviewToolbar({ filter, view, counts, shown, onChange }: Props) {
  return (
    <div className="flex flex-wrap items-center gap-3" role="search" aria-label="Filter connectors">
      <label className="relative min-w-56 flex-1 sm:max-w-xs">
        <span className="sr-only">Search connectors by name, id or kind</span>
        <span aria-hidden="true" className={`pointer-events-none absolute inset-y-0 left-2.5 flex items-center text-sm ${mutedText}`}>
          ⌕
        </span>
        <input
          type="search"
          data-testid="overview-search"
          value={filter.q}
          maxLength={100}
          placeholder="Search name, id or kind"
          onChange={(e) => onChange({ ...filter, q: e.target.value })}
          className={`${textInput} w-full pl-7`}
        />
      </label>
      <div className={group} role="radiogroup" aria-label="Status">
        {(Object.keys(statusLabels) as HealthFilter[]).map((value) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={filter.status === value}
            data-testid={`status-filter-${value}`}
            className={segment(filter.status === value)}
            onClick={() => onChange({ ...filter, status: value })}
          >
            {statusLabels[value]}
            <span className={`tabular-nums ${value === 'failing' && counts.failing > 0 ? 'text-red-600 dark:text-red-400' : mutedText}`}>{counts[value]}</span>
          </button>
        ))}
      </div>
      <div className="ml-auto flex items-center gap-3">
        <p className={`text-xs tabular-nums ${mutedText}`} data-testid="overview-shown" aria-live="polite">
          {shown === counts.all ? `${counts.all} shown` : `${shown} of ${counts.all} shown`}
        </p>
        <div className={group} role="radiogroup" aria-label="Layout">
          {(Object.keys(viewLabels) as OverviewView[]).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={view === value}
              data-testid={`view-${value}`}
              className={segment(view === value)}
              onClick={() => onChange({ ...filter, view: value })}
            >
              {viewLabels[value]}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
