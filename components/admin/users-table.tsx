'use client';

import type { User } from '@/lib/users/users';
import { userRoles, type UserRole } from '@/lib/auth/roles';
import { StatusBadge } from '@/components/overview/status-badge';
import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { dangerButton, mutedText, secondaryButton, tableHead, textInput } from '@/components/ui/styles';

const cell = 'px-3 py-2.5 align-middle first:pl-4 last:pr-4';

interface Props {
  users: User[];
  /** The signed-in user's id, marked as "you". */
  selfId: string | null;
  /** The user whose change is on its way, if any. */
  busyId: string | null;
  onRole(user: User, role: UserRole): void;
  onDisable(user: User): void;
  onEnable(user: User): void;
  onResetPassword(user: User): void;
}

/** Everyone who can sign in: role (changeable in place), status, last sign-in, and the actions an admin may take. */
export function UsersTable({ users, selfId, busyId, onRole, onDisable, onEnable, onResetPassword }: Props) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="users-table">
        <caption className="sr-only">Users</caption>
        <thead className={`${tableHead} border-b border-slate-100 dark:border-slate-800`}>
          <tr>
            <th scope="col" className={`${cell} font-medium`}>User</th>
            <th scope="col" className={`${cell} font-medium`}>Role</th>
            <th scope="col" className={`${cell} font-medium`}>Status</th>
            <th scope="col" className={`${cell} font-medium`}>Last sign-in</th>
            <th scope="col" className={`${cell} font-medium`}>Created</th>
            <th scope="col" className={`${cell} text-right font-medium`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {users.map((user) => {
            const busy = busyId === user.id;
            return (
              <tr key={user.id} data-testid="user-row" data-email={user.email} data-role={user.role} data-disabled={user.disabled} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className={cell}>
                  <span className="block font-medium">
                    {user.name}
                    {user.id === selfId ? <span className={`ml-1.5 text-xs font-normal ${mutedText}`}>(you)</span> : null}
                  </span>
                  <span className={`block text-xs ${mutedText}`}>{user.email}</span>
                </td>
                <td className={cell}>
                  <label htmlFor={`role-${user.id}`} className="sr-only">
                    Role of {user.email}
                  </label>
                  <select
                    id={`role-${user.id}`}
                    className={`${textInput} py-1 capitalize`}
                    value={user.role}
                    disabled={busy}
                    onChange={(e) => onRole(user, e.target.value as UserRole)}
                    data-testid="user-role"
                  >
                    {userRoles.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td className={cell}>
                  <StatusBadge label={user.disabled ? 'Disabled' : 'Active'} tone={user.disabled ? 'neutral' : 'good'} testId="user-status" />
                </td>
                <td className={`${cell} whitespace-nowrap`}>
                  {user.lastLoginAt ? <RelativeTime iso={user.lastLoginAt} /> : <span className={mutedText}>Never</span>}
                </td>
                <td className={`${cell} whitespace-nowrap ${mutedText}`}>
                  <LocalTime iso={user.createdAt} />
                </td>
                <td className={`${cell} text-right whitespace-nowrap`}>
                  <div className="inline-flex gap-2">
                    <button type="button" className={`${secondaryButton} px-2.5 py-1`} disabled={busy} onClick={() => onResetPassword(user)} data-testid="user-reset-password">
                      Reset password<span className="sr-only"> of {user.email}</span>
                    </button>
                    {user.disabled ? (
                      <button type="button" className={`${secondaryButton} px-2.5 py-1`} disabled={busy} onClick={() => onEnable(user)} data-testid="user-enable">
                        Enable<span className="sr-only"> {user.email}</span>
                      </button>
                    ) : (
                      <button type="button" className={`${dangerButton} px-2.5 py-1`} disabled={busy} onClick={() => onDisable(user)} data-testid="user-disable">
                        Disable<span className="sr-only"> {user.email}</span>
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
