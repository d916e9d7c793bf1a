'use client';

import { useSearchParams } from 'next/navigation';
import { card, mutedText, secondaryButton } from '@/components/ui/styles';
import { filterFromParams, filterToParams, type RunFilter } from './run-filter';
import { RunsFilters } from './runs-filters';
import { RunsTable } from './runs-table';
import { useRunList } from './use-run-list';

const PAGE_SIZE = 50;

/** Run history across connectors: filters and the page cursor live in the URL; the newest page grows live. */
export function RunsPage({ connectors }: { connectors: Array<{ id: string; name: string }> }) {
  const params = useSearchParams();
  const { filter, before } = filterFromParams(new URLSearchParams(params?.toString() ?? ''));
  const list = useRunList({ filter, before, limit: PAGE_SIZE });
  const names = Object.fromEntries(connectors.map((c) => [c.id, c.name]));
  const filtered = Object.values(filter).some(Boolean);

  // Next keeps useSearchParams in step with history changes, so no server round trip is needed.
  const go = (next: RunFilter, cursor: string | null) => {
    const query = filterToParams(next, { before: cursor }).toString();
    window.history.pushState(null, '', query ? `/runs?${query}` : '/runs');
  };

  const pager = (
    <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 dark:border-slate-800">
      {before ? (
        <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => go(filter, null)} data-testid="runs-newest">
          ← Newest
        </button>
      ) : (
        <span className={`text-xs ${mutedText}`}>New runs appear here as they start.</span>
      )}
      {list.next ? (
        <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => go(filter, list.next)} data-testid="runs-older">
          Older →
        </button>
      ) : (
        <span className={`text-xs ${mutedText}`}>No older runs</span>
      )}
    </div>
  );

  return (
    <div className="space-y-6" data-testid="runs-page">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
        <p className={`mt-1 text-sm ${mutedText}`}>Every run of every connector, newest first.{before ? ' Showing older runs.' : ''}</p>
      </div>
      <RunsFilters connectors={connectors} filter={filter} before={before} onChange={go} />
      <section className={card} aria-label="Run history">
        <RunsTable
          list={list}
          connectorNames={names}
          caption="Run history, newest first"
          empty={
            filtered || before
              ? { title: 'No runs match these filters', hint: 'Clear a filter or pick another time to see more.' }
              : { title: 'No runs yet', hint: 'Runs appear here live as soon as a connector starts one.' }
          }
          footer={pager}
        />
      </section>
    </div>
  );
}
