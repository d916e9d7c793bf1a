import os from 'node:os';

/** An instance id as server/main.ts makes it, `<hostname>-<pid>-<8 hex>`, split; null when it is not one. */
export function parseInstanceId(instanceId: string): { host: string; pid: number } | null {
  const match = /^(.+)-(\d+)-[0-9a-f]{8}$/.exec(instanceId);
  return match ? { host: match[1]!, pid: Number(match[2]) } : null;
}

/**
 * Whether `instanceId` names a server process of this host that no longer exists (its pid answers ESRCH), so its runs
 * can be declared interrupted at once instead of when their lease runs out. Instances of other hosts are never
 * declared dead here. Assumes processes with one hostname share one process table (one machine; give containers
 * their own hostnames, as they have by default).
 */
export function isDeadOnThisHost(instanceId: string, self: string, hostname = os.hostname()): boolean {
  if (instanceId === self) return false;
  const parsed = parseInstanceId(instanceId);
  if (!parsed || parsed.host !== hostname) return false;
  // Another instance id with this process's pid: a process before this one that had the same pid.
  if (parsed.pid === process.pid) return true;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
