'use client';

import Link from 'next/link';
import { LoadMore } from '@/components/runs/load-more';
import { RunsTable } from '@/components/runs/runs-table';
import type { useRunList } from '@/components/runs/use-run-list';
import { card, linkText, sectionTitle } from '@/components/ui/styles';

/** The connector's latest runs, live, with "Load more" for older ones. */
export function ConnectorRuns({ connectorId, list }: { connectorId: string; list: ReturnType<typeof useRunList> }) {
  return (
    <section aria-labelledby="runs-title" className={card}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
        <h2 id="runs-title" className={sectionTitle}>
          Runs
        </h2>
        <Link href={`/runs?connectorId=${encodeURIComponent(connectorId)}`} className={`text-sm ${linkText}`}>
          Filter in run history →
        </Link>
      </div>
      <RunsTable
        list={list}
        caption="Runs of this connector, newest first"
        empty={{ title: 'No runs yet', hint: 'Runs appear here live as soon as one starts, by schedule or with Run now.' }}
        footer={<LoadMore hasMore={list.next !== null} busy={list.more.busy} error={list.more.error} onClick={() => void list.loadMore()} />}
      />
    </section>
  );
}
