'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { LocalTime } from '@/components/time/local-time';
import { card, focusRing, mutedText, secondaryButton, sectionTitle } from '@/components/ui/styles';
import type { LogLine } from './run-log-merge';

const levelLooks: Record<LogLine['level'], string> = {
  debug: 'text-slate-400 dark:text-slate-500',
  info: 'text-sky-700 dark:text-sky-300',
  warn: 'text-amber-700 dark:text-amber-300',
  error: 'text-red-700 dark:text-red-300',
};

/** Pixels from the bottom that still count as "at the end" (following the tail). */
const AT_END_PX = 24;

/** The run's log; while the run goes, new lines scroll into view unless the reader scrolled up to read. */
export function RunLog({ lines, live, storedLimit }: { lines: LogLine[]; live: boolean; storedLimit: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [debug, setDebug] = useState(true);
  const shown = debug ? lines : lines.filter((l) => l.level !== 'debug');

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown.length, follow]);

  const onScroll = () => {
    const el = box.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < AT_END_PX);
  };

  return (
    <section aria-labelledby="log-title" className={`${card} flex flex-col`}>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
        <h2 id="log-title" className={sectionTitle}>
          Log {live ? <span className="ml-1 rounded-full bg-sky-100 px-2 py-0.5 text-[11px] font-semibold text-sky-800 dark:bg-sky-950 dark:text-sky-200">live</span> : null}
        </h2>
        <div className="flex items-center gap-3 text-sm">
          <label className="inline-flex items-center gap-1.5">
            <input type="checkbox" checked={debug} onChange={(e) => setDebug(e.target.checked)} className="accent-indigo-600" />
            Debug lines
          </label>
          {live && !follow ? (
            <button type="button" className={`${secondaryButton} px-2.5 py-1 text-xs`} onClick={() => setFollow(true)} data-testid="run-log-follow">
              ↓ Follow new lines
            </button>
          ) : null}
        </div>
      </div>
      <div
        ref={box}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-live="off"
        aria-label="Run log"
        data-testid="run-log"
        data-following={follow}
        className={`max-h-[28rem] min-h-40 overflow-y-auto bg-slate-50 px-4 py-3 font-mono text-xs leading-5 dark:bg-slate-950/60 ${focusRing}`}
      >
        {lines.length >= storedLimit ? <p className={`mb-2 ${mutedText}`}>Earlier lines are not kept: a run stores its last {storedLimit} lines.</p> : null}
        {shown.length === 0 ? <p className={mutedText}>{live ? 'Waiting for the first log line…' : 'This run wrote no log lines.'}</p> : null}
        <ol>
          {shown.map((line, i) => (
            <li key={`${line.at}-${i}`} data-testid="run-log-line" data-level={line.level} className="grid grid-cols-[auto_3.5rem_minmax(0,1fr)] gap-x-3">
              <LocalTime iso={line.at} format="clock" className={mutedText} />
              <span className={`font-semibold uppercase ${levelLooks[line.level]}`}>{line.level}</span>
              <span className="break-words whitespace-pre-wrap">{line.message}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
