import type { SyncProgressEvent } from '@/lib/realtime/events';

interface RunState {
  sentAt: number;
  /** The newest progress held back, sent when the interval is over. */
  held?: SyncProgressEvent;
  timer?: NodeJS.Timeout;
}

/**
 * How often the overview room hears of one run's progress. Connector and run rooms get every `sync:progress` (a
 * run reports one at most every 200 ms); the overview and the wall show a bar per connector, for which once a
 * second is plenty, and every overview socket costs the server a write per event. A progress held back is sent
 * when the second is over (stamped then), or just before the run's `sync:finish`: the overview always ends up
 * with a run's newest figures, in order.
 */
export class OverviewProgressThrottle {
  readonly #everyMs: number;
  readonly #send: (event: SyncProgressEvent) => void;
  readonly #runs = new Map<string, RunState>();
  readonly #sweep: NodeJS.Timeout;

  constructor({ everyMs, send }: { everyMs: number; send: (event: SyncProgressEvent) => void }) {
    this.#everyMs = everyMs;
    this.#send = send;
    // Runs whose finish never came this way (their instance died; a relay gap) are forgotten after a while.
    this.#sweep = setInterval(() => this.#forgetIdle(), Math.max(60_000, everyMs * 10));
    this.#sweep.unref();
  }

  /** Whether the overview gets this progress now; if not, it is held and sent later. */
  offer(event: SyncProgressEvent): boolean {
    const now = Date.now();
    const state = this.#runs.get(event.runId);
    if (!state) {
      this.#runs.set(event.runId, { sentAt: now });
      return true;
    }
    if (!state.timer && now - state.sentAt >= this.#everyMs) {
      state.sentAt = now;
      return true;
    }
    state.held = event;
    state.timer ??= setTimeout(() => this.#release(event.runId), state.sentAt + this.#everyMs - now);
    return false;
  }

  /** Sends what is held for the run (before its finish goes out) and forgets it. */
  finished(runId: string): void {
    this.#release(runId);
    this.#runs.delete(runId);
  }

  close(): void {
    clearInterval(this.#sweep);
    for (const state of this.#runs.values()) clearTimeout(state.timer);
    this.#runs.clear();
  }

  #release(runId: string): void {
    const state = this.#runs.get(runId);
    if (!state) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    const held = state.held;
    state.held = undefined;
    if (!held) return;
    state.sentAt = Date.now();
    this.#send({ ...held, at: new Date(state.sentAt).toISOString() });
  }

  #forgetIdle(): void {
    const before = Date.now() - Math.max(60_000, this.#everyMs * 10);
    for (const [runId, state] of this.#runs) if (!state.timer && state.sentAt < before) this.#runs.delete(runId);
  }
}
