'use client';

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';

interface Clock {
  /** Milliseconds since the epoch, ticking once a second. */
  now: number;
  /** False during server rendering and hydration: locale-dependent text must wait for it. */
  hydrated: boolean;
}

/**
 * The page's clock as an external store. The context holds this object, which never changes, and readers
 * subscribe to its ticks: a changing context value would reach every part of the page still waiting for its
 * streamed HTML, and React then renders those parts again in the browser instead of hydrating what the server sent.
 */
class ClockStore {
  readonly #initial: Clock;
  #clock: Clock;
  readonly #listeners = new Set<() => void>();

  constructor(initial: number) {
    this.#initial = { now: initial, hydrated: false };
    this.#clock = this.#initial;
  }

  readonly subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** What the browser shows once hydrated. */
  readonly current = () => this.#clock;

  /** What the server rendered, and what hydration must render again. */
  readonly initial = () => this.#initial;

  /** Ticks once a second until the returned function is called. */
  start(): () => void {
    const tick = () => {
      this.#clock = { now: Date.now(), hydrated: true };
      this.#listeners.forEach((listener) => listener());
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }
}

const ClockContext = createContext(new ClockStore(0));

/**
 * One shared one-second clock for every relative time on the page. It starts at `initial` (the server's render
 * time) so server and client render the same text, then follows the browser clock.
 */
export function NowProvider({ initial, children }: { initial: number; children: ReactNode }) {
  const [store] = useState(() => new ClockStore(initial));
  useEffect(() => store.start(), [store]);
  return <ClockContext.Provider value={store}>{children}</ClockContext.Provider>;
}

/** The shared clock; re-renders the caller every second. */
export function useNow(): Clock {
  const store = useContext(ClockContext);
  return useSyncExternalStore(store.subscribe, store.current, store.initial);
}
