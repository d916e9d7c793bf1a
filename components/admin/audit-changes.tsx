import Link from 'next/link';
import type { AuditEntry } from '@/lib/audit/audit';
import { linkText, mutedText } from '@/components/ui/styles';

/** A changed value, short: strings as they are, other values as JSON, long ones cut with the whole in a tooltip. */
function Value({ value, side }: { value: unknown; side: 'before' | 'after' }) {
  if (value === undefined) return <span className={`italic ${mutedText}`}>{side === 'before' ? 'unset' : 'removed'}</span>;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  const look = side === 'before' ? 'bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200' : 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200';
  return (
    <span title={text.length > 60 ? text : undefined} className={`rounded px-1 font-mono text-[12px] break-all ${look}`}>
      {short}
    </span>
  );
}

/** What an entry changed, one line per path (`policies.overlap: skip → queue-one`), then its other facts. */
export function AuditChanges({ entry }: { entry: AuditEntry }) {
  const created = entry.changes.every((c) => c.before === undefined);
  const runId = typeof entry.details?.runId === 'string' ? entry.details.runId : null;
  const otherDetails = Object.entries(entry.details ?? {}).filter(([key]) => key !== 'runId');
  return (
    <div className="space-y-1" data-testid="audit-changes">
      {entry.changes.length ? (
        <ul className="space-y-0.5">
          {entry.changes.map((change) => (
            <li key={change.path} data-testid="audit-change" data-path={change.path} className="text-xs leading-5">
              <span className="font-mono font-medium">{change.path}</span>
              <span className={mutedText}>:</span>{' '}
              {created ? null : (
                <>
                  <Value value={change.before} side="before" /> <span className={mutedText}>→</span>{' '}
                </>
              )}
              <Value value={change.after} side="after" />
            </li>
          ))}
        </ul>
      ) : null}
      {runId ? (
        <p className="text-xs">
          Run{' '}
          <Link href={`/runs/${encodeURIComponent(runId)}`} className={`${linkText} font-mono`} data-testid="audit-run-link">
            {runId}
          </Link>
        </p>
      ) : null}
      {otherDetails.length ? (
        <p className={`text-xs ${mutedText}`}>
          {otherDetails.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' · ')}
        </p>
      ) : null}
      {!entry.changes.length && !runId && !otherDetails.length ? <span className={`text-xs ${mutedText}`}>no field changed</span> : null}
    </div>
  );
}
