import { notFound } from 'next/navigation';
import { cache } from 'react';
import { DomainError } from '@/lib/domain/errors';
import { getStatus, requireConnector } from '@/lib/connectors/service';
import { toConnector } from '@/lib/connectors/store';
import { getRuntime } from '@/lib/runtime';

/** The connector and its status for one request (page and title share it); an unknown id is a 404 page. */
export const loadConnector = cache(async (id: string) => {
  const runtime = getRuntime();
  try {
    const [doc, status] = await Promise.all([requireConnector(runtime, id), getStatus(runtime, id)]);
    return { connector: toConnector(doc), status };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') notFound();
    throw error;
  }
});
