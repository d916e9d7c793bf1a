'use client';

import type { ApiToken } from '@/lib/auth/tokens';
import { StatusBadge } from '@/components/overview/status-badge';
import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { codeTag, dangerButton, mutedText, tableHead } from '@/components/ui/styles';
import { RoleBadge } from './role-badge';

const cell = 'px-3 py-2.5 align-middle first:pl-4 last:pr-4';

/** Every token ever created: active ones first as listed by the server, revoked ones kept for the record. */
export function TokensTable({ tokens, busyId, onRevoke }: { tokens: ApiToken[]; busyId: string | null; onRevoke(token: ApiToken): void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="tokens-table">
        <caption className="sr-only">API and display tokens</caption>
        <thead className={`${tableHead} border-b border-slate-100 dark:border-slate-800`}>
          <tr>
            <th scope="col" className={`${cell} font-medium`}>Name</th>
            <th scope="col" className={`${cell} font-medium`}>Role</th>
            <th scope="col" className={`${cell} font-medium`}>Created</th>
            <th scope="col" className={`${cell} font-medium`}>Last used</th>
            <th scope="col" className={`${cell} font-medium`}>Status</th>
            <th scope="col" className={`${cell} text-right font-medium`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {tokens.map((token) => (
            <tr
              key={token.id}
              data-testid="token-row"
              data-token-id={token.id}
              data-name={token.name}
              data-revoked={token.revokedAt !== undefined}
              className={`hover:bg-slate-50 dark:hover:bg-slate-800/40 ${token.revokedAt ? 'opacity-70' : ''}`}
            >
              <td className={cell}>
                <span className="block font-medium">{token.name}</span>
                <span className={codeTag} title="The first characters of the token">
                  {token.hint}…
                </span>
              </td>
              <td className={cell}>
                <RoleBadge role={token.role} />
              </td>
              <td className={`${cell} whitespace-nowrap`}>
                <LocalTime iso={token.createdAt} />
                <span className={`block text-xs ${mutedText}`}>by {token.createdBy}</span>
              </td>
              <td className={`${cell} whitespace-nowrap`}>{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : <span className={mutedText}>Never</span>}</td>
              <td className={cell}>
                {token.revokedAt ? (
                  <span className="whitespace-nowrap">
                    <StatusBadge label="Revoked" tone="neutral" testId="token-status" />
                    <span className={`block text-xs ${mutedText}`}>
                      <RelativeTime iso={token.revokedAt} />
                      {token.revokedBy ? ` by ${token.revokedBy}` : ''}
                    </span>
                  </span>
                ) : (
                  <StatusBadge label="Active" tone="good" testId="token-status" />
                )}
              </td>
              <td className={`${cell} text-right`}>
                {token.revokedAt ? null : (
                  <button type="button" className={`${dangerButton} px-2.5 py-1`} disabled={busyId === token.id} onClick={() => onRevoke(token)} data-testid="token-revoke">
                    Revoke<span className="sr-only"> {token.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
