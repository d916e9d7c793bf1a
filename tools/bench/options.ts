/**
 * Command-line option and process helpers shared by the benchmarks.
 */
import { descendantsOf, signal as signalProcess } from '../../tests/support/processes';

/** A bad option, named with the rule it breaks: the benchmark could not run. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole-number option within bounds, or its fallback when not given. */
export function wholeNumberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name}: must be a whole number from ${min} to ${max} (got ${raw})`);
  return value;
}

/** SIGKILL to a process this benchmark started and everything it started, by PID. */
export function killTree(pid: number): void {
  for (const child of descendantsOf(pid)) signalProcess(child, 'SIGKILL');
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Ctrl-C, SIGTERM or SIGHUP stops what a benchmark started: the first one through `stop` (graceful), a second one at
 * once through `kill`. Both end only the processes the benchmark started, by PID.
 */
export function stopOnInterrupt({ say, what, stop, kill }: { say: (message: string) => void; what: string; stop: () => Promise<void>; kill: () => void }): void {
  let interrupted = 0;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      interrupted++;
      if (interrupted > 1) {
        say(`second interrupt: killing ${what}`);
        kill();
        process.exit(130);
      }
      say(`${sig}: stopping ${what} (press Ctrl-C again to kill)`);
      void stop().finally(() => process.exit(130));
    });
  }
}

/**
 * Bounds a benchmark in time: after `limitMs` it says so, stops what it started (`stop`, given at most 40 s), kills
 * what is left (`kill`) and exits 1. Answers the timer, to clear when the benchmark is done.
 */
export function stopAfter(limitMs: number, { say, stop, kill }: { say: (message: string) => void; stop: () => Promise<void>; kill: () => void }): NodeJS.Timeout {
  const watchdog = setTimeout(() => {
    say(`the benchmark did not finish within its time limit (${Math.round(limitMs / 1000)} s); stopping everything`);
    void Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, 40_000))]).finally(() => {
      kill();
      process.exit(1);
    });
  }, limitMs);
  return watchdog.unref();
}
