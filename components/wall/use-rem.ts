'use client';

import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
};
const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/** The root font size in pixels, following the window: charts size their axes in px, the wall scales in rem. */
export function useRemPx(): number {
  return useSyncExternalStore(subscribe, read, () => 16);
}
