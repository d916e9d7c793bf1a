import type { ConnectorDoc } from '@/lib/connectors/store';
import { nextSlot } from '@/lib/scheduling/schedule';

export interface DueSlot {
  connectorId: string;
  scheduleId: string;
  slot: Date;
}

/** Timers are set at most this far ahead, then set again (long timeouts drift with suspended machines). */
const MAX_TIMER_MS = 60_000;
/**
 * Slots further in the past than this (the process stalled, the machine slept) are not handed over: their slot jobs
 * deal with them under the missed-slot policy, instead of this clock firing them one after another.
 */
const STALE_MS = 5000;

/**
 * Wakes the scheduler shortly before each slot of the enabled schedules it knows, with every slot due at that
 * moment, so the slot can start on time without waiting for a database poll. It hands each slot over once:
 * `since` only moves forward, however often the connectors are replaced.
 */
export class SlotClock {
  #connectors = new Map<string, ConnectorDoc>();
  #since: number;
  /** Slots after this are handed over (unless long past when their time comes). */
  readonly startedAt: Date;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(
    private readonly options: {
      /** How long before a slot to wake (time to read what the decision needs). */
      leadMs: () => number;
      onDue: (at: Date, slots: DueSlot[]) => void;
      /** Slots within this time from now are not handed over (they are someone else's while the process starts). */
      settleMs?: number;
      now?: () => number;
    },
  ) {
    this.#since = this.#now() + (options.settleMs ?? 0);
    this.startedAt = new Date(this.#since);
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Replaces every connector it knows. */
  replaceAll(connectors: ConnectorDoc[]): void {
    this.#connectors = new Map(connectors.map((c) => [c._id, c]));
    this.#arm();
  }

  /** Adds or replaces one connector, or forgets it (`null`). */
  replace(connectorId: string, connector: ConnectorDoc | null): void {
    if (connector) this.#connectors.set(connectorId, connector);
    else this.#connectors.delete(connectorId);
    this.#arm();
  }

  /** The earliest slot after the last one handed over, and every enabled schedule's slot at that time. */
  next(): { at: Date; slots: DueSlot[] } | null {
    const after = new Date(this.#since);
    let at = Infinity;
    let slots: DueSlot[] = [];
    for (const connector of this.#connectors.values()) {
      if (!connector.enabled) continue;
      for (const schedule of connector.schedules) {
        if (!schedule.enabled) continue;
        const slot = nextSlot(schedule, after);
        const time = slot.getTime();
        if (time > at) continue;
        if (time < at) {
          at = time;
          slots = [];
        }
        slots.push({ connectorId: connector._id, scheduleId: schedule.id, slot });
      }
    }
    return slots.length ? { at: new Date(at), slots } : null;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const next = this.next();
    if (!next) return;
    if (next.at.getTime() < this.#now() - STALE_MS) {
      this.#since = this.#now() - STALE_MS;
      return this.#arm();
    }
    const wait = next.at.getTime() - this.options.leadMs() - this.#now();
    if (wait > MAX_TIMER_MS) {
      this.#timer = setTimeout(() => this.#arm(), MAX_TIMER_MS);
    } else {
      this.#timer = setTimeout(() => {
        this.#since = next.at.getTime();
        this.options.onDue(next.at, next.slots);
        this.#arm();
      }, Math.max(0, wait));
    }
    this.#timer.unref();
  }
}
