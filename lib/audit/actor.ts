import { actorLabel, type Actor } from '@/lib/auth/actor';

/**
 * Who the audit log names. Besides signed-in users and API tokens, changes made with the `syncdeck` command line
 * are recorded as the operating-system account that ran it: the CLI talks to the database directly, so whoever can
 * run it already administers the installation.
 */
export interface CliActor {
  kind: 'cli';
  /** The operating-system user name that ran the command. */
  id: string;
  role: 'admin';
}

export type AuditActor = Actor | CliActor;

/** The CLI acting for an operating-system user. An empty or unknown name is recorded as `unknown`. */
export function cliActor(osUser: string): CliActor {
  const name = osUser.trim().replace(/[^\w.@-]/g, '_').slice(0, 64);
  return { kind: 'cli', id: name || 'unknown', role: 'admin' };
}

/** How an audit actor is named in the log and in `createdBy`/`revokedBy` fields: `cli:<os user>` for the CLI. */
export function auditActorLabel(actor: AuditActor): string {
  return actor.kind === 'cli' ? `cli:${actor.id}` : actorLabel(actor);
}
