import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getConnector } from '@/lib/connectors/store';
import { getRun, toRun } from '@/lib/runs/store';
import { getRuntime } from '@/lib/runtime';

/** Run ids hold ':' and '~'; links encode them, and the segment may arrive still encoded. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The run with its log and its connector's name (the id when the connector is gone); unknown runs are a 404 page. */
export const loadRun = cache(async (id: string) => {
  const { db } = getRuntime();
  const doc = await getRun({ db, id });
  if (!doc) notFound();
  const connector = await getConnector({ db, id: doc.connectorId });
  return { run: toRun(doc, true), connectorName: connector?.name ?? doc.connectorId };
});
