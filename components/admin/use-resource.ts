'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, getJson } from '@/components/api/fetch-json';

export type ResourceState<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: T };

/**
 * Loads one JSON resource for an admin list, with loading and error states, a retry, and a way to put the answer
 * of a change in place without reading the list again. A newer load always wins over an older one.
 */
export function useResource<T>(url: string, what: string) {
  const [resource, setResource] = useState<ResourceState<T>>({ state: 'loading' });
  const request = useRef(0);

  const reload = useCallback(() => {
    const mine = ++request.current;
    getJson<T>(url).then(
      (data) => mine === request.current && setResource({ state: 'ready', data }),
      (error: unknown) => mine === request.current && setResource({ state: 'error', message: errorMessage(error, `Could not load ${what}`) }),
    );
  }, [url, what]);

  useEffect(reload, [reload]);

  const retry = useCallback(() => {
    setResource({ state: 'loading' });
    reload();
  }, [reload]);

  const update = useCallback((change: (data: T) => T) => {
    setResource((current) => (current.state === 'ready' ? { state: 'ready', data: change(current.data) } : current));
  }, []);

  return { resource, retry, update };
}
