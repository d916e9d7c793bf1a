'use client';

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

interface Clock {
  /** Milliseconds since the epoch, ticking once a second. */
  now: number;
  /** False during server rendering and hydration: locale-dependent text must wait for it. */
  hydrated: boolean;
}

const ClockContext = createContext<Clock>({ now: 0, hydrated: false });

/**
 * One shared one-second clock for every relative time on the page. It starts at `initial` (the server's render
 * time) so server and client render the same text, then follows the browser clock.
 */
export function NowProvider({ initial, children }: { initial: number; children: ReactNode }) {
  const [clock, setClock] = useState<Clock>({ now: initial, hydrated: false });
  useEffect(() => {
    const tick = () => setClock({ now: Date.now(), hydrated: true });
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, []);
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

/** The shared clock; re-renders the caller every second. */
export function useNow(): Clock {
  return useContext(ClockContext);
}
