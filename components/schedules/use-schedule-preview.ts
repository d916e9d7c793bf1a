'use client';

import { useEffect, useState } from 'react';
import { ApiRequestError, errorMessage, sendJson } from '@/components/api/fetch-json';
import type { ScheduleBody } from './schedule-draft';

export type Preview =
  | { state: 'loading' }
  | { state: 'ready'; description: string; slots: string[] }
  | { state: 'invalid'; message: string }
  | { state: 'error'; message: string };

const DEBOUNCE_MS = 350;
const COUNT = 5;

/** What a problem with the schedule says, without the `schedule.` prefix the preview route adds. */
function problemOf(error: ApiRequestError): string {
  const field = error.fields.find((f) => f.path.startsWith('schedule.'));
  return field ? `${field.path.slice('schedule.'.length)} ${field.message}` : error.message;
}

/** The description and next slots of a schedule as typed, from POST /api/schedules/preview, a moment after typing stops. */
export function useSchedulePreview(body: ScheduleBody): Preview {
  const key = JSON.stringify(body);
  const [preview, setPreview] = useState<{ key: string; value: Preview } | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      sendJson<{ description: string; slots: string[] }>('POST', '/api/schedules/preview', { schedule: JSON.parse(key) as ScheduleBody, count: COUNT })
        .then((answer): Preview => ({ state: 'ready', ...answer }))
        .catch((error: unknown): Preview =>
          error instanceof ApiRequestError && error.status === 400 ? { state: 'invalid', message: problemOf(error) } : { state: 'error', message: errorMessage(error, 'Preview unavailable') },
        )
        .then((value) => current && setPreview({ key, value }));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  return preview?.key === key ? preview.value : { state: 'loading' };
}
