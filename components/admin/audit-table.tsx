import Link from 'next/link';
import type { AuditEntry } from '@/lib/audit/audit';
import type { Role } from '@/lib/auth/roles';
import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { codeTag, linkText, mutedText, tableHead } from '@/components/ui/styles';
import { AuditChanges } from './audit-changes';
import { RoleBadge } from './role-badge';

const cell = 'px-3 py-2.5 align-top first:pl-4 last:pr-4';

/** Where a target lives in the dashboard, if it has a page. */
function targetHref(target: AuditEntry['target']): string | null {
  switch (target.type) {
    case 'connector':
      return `/connectors/${encodeURIComponent(target.id)}`;
    case 'run':
      return `/runs/${encodeURIComponent(target.id)}`;
    case 'user':
      return '/admin/users';
    case 'token':
      return '/admin/tokens';
    case 'scheduler':
      return '/';
  }
}

function Target({ entry, names }: { entry: AuditEntry; names: Record<string, string> }) {
  const href = targetHref(entry.target);
  const label = entry.target.type === 'scheduler' ? 'Scheduler' : (names[`${entry.target.type}:${entry.target.id}`] ?? entry.target.id);
  return (
    <span className="block">
      <span className={`block text-xs capitalize ${mutedText}`}>{entry.target.type}</span>
      {href ? (
        <Link href={href} className={`${linkText} break-all`} data-testid="audit-target-link">
          {label}
        </Link>
      ) : (
        <span className="break-all">{label}</span>
      )}
    </span>
  );
}

/**
 * Audit entries, newest first. `names` turns target ids into names where the page knows them
 * (`user:<id>` → email, `token:<id>` → token name).
 */
export function AuditTable({ entries, names, showTarget = true }: { entries: AuditEntry[]; names: Record<string, string>; showTarget?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit log, newest first</caption>
        <thead className={`${tableHead} border-b border-slate-100 dark:border-slate-800`}>
          <tr>
            <th scope="col" className={`${cell} font-medium`}>When</th>
            <th scope="col" className={`${cell} font-medium`}>Who</th>
            <th scope="col" className={`${cell} font-medium`}>Action</th>
            {showTarget ? <th scope="col" className={`${cell} font-medium`}>Target</th> : null}
            <th scope="col" className={`${cell} font-medium`}>Change</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-target-id={entry.target.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <td className={`${cell} whitespace-nowrap`}>
                <LocalTime iso={entry.at} />
                <RelativeTime iso={entry.at} className={`block text-xs ${mutedText}`} />
              </td>
              <td className={cell}>
                <span className="block max-w-56 truncate font-medium" title={entry.actor.label}>
                  {entry.actor.label}
                </span>
                <span className="mt-0.5 inline-flex items-center gap-1.5">
                  <RoleBadge role={entry.actor.role as Role} />
                  {entry.actor.kind !== 'user' ? <span className={`text-xs ${mutedText}`}>{entry.actor.kind === 'cli' ? 'command line' : 'API token'}</span> : null}
                </span>
              </td>
              <td className={`${cell} whitespace-nowrap`}>
                <span className={codeTag} data-testid="audit-action">
                  {entry.action}
                </span>
              </td>
              {showTarget ? (
                <td className={`${cell} max-w-56`}>
                  <Target entry={entry} names={names} />
                </td>
              ) : null}
              <td className={`${cell} min-w-64`}>
                <AuditChanges entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
