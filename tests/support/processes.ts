import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Process bookkeeping from /proc (Linux): which processes a server started, and which TCP ports they listen on.
 * A process is identified by pid *and* start time, so a recycled pid is never mistaken for ours.
 */

export interface ProcessId {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTime: number;
  /** Executable name (comm), for messages. */
  name: string;
}

function readStat(pid: number): { ppid: number; startTime: number; name: string; state: string; cpuTicks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may contain spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    // utime and stime (fields 14 and 15), in clock ticks.
    return { state: fields[0]!, ppid: Number(fields[1]), startTime: Number(fields[19]), name, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Every live descendant of `pid` (children, their children, …). */
export function descendantsOf(pid: number): ProcessId[] {
  const byParent = new Map<number, ProcessId[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat || stat.state === 'Z') continue;
    const list = byParent.get(stat.ppid) ?? [];
    list.push({ pid: Number(entry), startTime: stat.startTime, name: stat.name });
    byParent.set(stat.ppid, list);
  }
  const found: ProcessId[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** True while that very process (same pid and start time) exists and is not a zombie. */
export function isAlive(proc: ProcessId): boolean {
  const stat = readStat(proc.pid);
  return stat !== null && stat.startTime === proc.startTime && stat.state !== 'Z';
}

/** CPU time (user + system) the process has used so far, in seconds; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  const stat = readStat(pid);
  // Linux counts in USER_HZ, which is 100 on every architecture Node runs on.
  return stat ? stat.cpuTicks / 100 : null;
}

/** Sends a signal to that very process, if it still exists. */
export function signal(proc: ProcessId, sig: NodeJS.Signals): void {
  if (!isAlive(proc)) return;
  try {
    process.kill(proc.pid, sig);
  } catch {
    // It exited between the check and the signal.
  }
}

/** The TCP ports a process listens on, read from its socket inodes and /proc/net/tcp{,6}. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match) inodes.add(match[1]!);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue;
      ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}
