import { z } from 'zod';

/** viewer reads; operator also runs, cancels, enables, disables and pauses; admin also edits and manages access. */
export const userRoles = ['viewer', 'operator', 'admin'] as const;
/** Tokens may also be `display`: read-only, made for the wall screen. */
export const tokenRoles = ['display', ...userRoles] as const;

export type UserRole = (typeof userRoles)[number];
export type Role = (typeof tokenRoles)[number];

export const userRoleSchema = z.enum(userRoles, { error: `must be one of ${userRoles.join(', ')}` });
export const tokenRoleSchema = z.enum(tokenRoles, { error: `must be one of ${tokenRoles.join(', ')}` });

const rank: Record<Role, number> = { display: 0, viewer: 1, operator: 2, admin: 3 };

/** True when `role` has at least the rights of `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}
