import type { Room } from '@/lib/realtime/events';
import type { Actor } from './actor';
import { roleAtLeast } from './roles';

/**
 * Every permission decision in one place. Route handlers, socket middleware and pages call these;
 * none of them compares roles itself.
 */

/**
 * What the wall screen shows: the overview (connector statuses, scheduler, instances), one connector's status, the
 * activity charts, who is asking, and the live `overview` room. Everyone signed in, and display credentials (display
 * tokens and the wall's cookie), which get nothing else.
 */
export const canReadWall = (actor: Actor) => roleAtLeast(actor.role, 'display');

/**
 * Connectors with their configuration, runs with their logs, stats, the scheduler, the OpenAPI document: everyone
 * signed in (viewer and up). Display credentials stop at {@link canReadWall}.
 */
export const canReadConnectors = (actor: Actor) => roleAtLeast(actor.role, 'viewer');

/** Pages beyond the wall screen need a real reader; display tokens stop at the wall. */
export const canUseDashboard = (actor: Actor) => roleAtLeast(actor.role, 'viewer');

/** Live rooms: display credentials join only `overview` (no log lines go there); readers join any. */
export const canJoinRoom = (actor: Actor, room: Room) => room === 'overview' ? canReadWall(actor) : canReadConnectors(actor);

export const canRunConnector = (actor: Actor) => roleAtLeast(actor.role, 'operator');
export const canCancelRun = (actor: Actor) => roleAtLeast(actor.role, 'operator');
export const canToggleConnector = (actor: Actor) => roleAtLeast(actor.role, 'operator');
export const canControlScheduler = (actor: Actor) => roleAtLeast(actor.role, 'operator');

export const canEditConnector = (actor: Actor) => roleAtLeast(actor.role, 'admin');
export const canManageUsers = (actor: Actor) => roleAtLeast(actor.role, 'admin');
export const canManageTokens = (actor: Actor) => roleAtLeast(actor.role, 'admin');
/** Process figures (memory, uptime): administrators only, they describe the server rather than the syncs. */
export const canReadMetrics = (actor: Actor) => roleAtLeast(actor.role, 'admin');
/** The audit log names people and what they changed: administrators only. */
export const canReadAudit = (actor: Actor) => roleAtLeast(actor.role, 'admin');

/** What an actor may do, for the UI to hide controls it cannot use. The server checks again on every action. */
export function permissionsOf(actor: Actor) {
  return {
    run: canRunConnector(actor),
    cancel: canCancelRun(actor),
    toggle: canToggleConnector(actor),
    controlScheduler: canControlScheduler(actor),
    editConnectors: canEditConnector(actor),
    manageUsers: canManageUsers(actor),
    manageTokens: canManageTokens(actor),
    readAudit: canReadAudit(actor),
  };
}
export type Permissions = ReturnType<typeof permissionsOf>;
