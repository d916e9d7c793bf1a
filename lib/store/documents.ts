/** Documents of collections that `server/` writes and `lib/` reads, typed here so that neither copies the other. */

/** Each instance's last heartbeat; the overview lists the instances sharing the database. */
export interface InstanceDoc {
  _id: string;
  host: string;
  pid: number;
  startedAt: Date;
  lastHeartbeatAt: Date;
  scheduler: 'running' | 'paused';
  runningRuns: number;
}

/** Which instance took a run; claims older than a day are pruned. */
export interface RunClaimDoc {
  _id: string;
  instanceId: string;
  at: Date;
}

/** The fields of Agenda's job documents that Syncdeck reads (Agenda owns the format). */
export interface AgendaJobDoc {
  name: string;
  data?: Record<string, unknown>;
  disabled?: boolean;
  nextRunAt?: Date | null;
  lockedAt?: Date | null;
  lastRunAt?: Date;
  lastModifiedBy?: string;
}
