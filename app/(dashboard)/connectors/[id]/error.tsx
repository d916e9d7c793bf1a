'use client';

import { PageError } from '@/components/layout/page-error';

export default function ConnectorError({ reset }: { error: Error; reset: () => void }) {
  return <PageError what="this connector" reset={reset} />;
}
