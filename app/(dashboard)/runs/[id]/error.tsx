'use client';

import { PageError } from '@/components/layout/page-error';

export default function RunError({ reset }: { error: Error; reset: () => void }) {
  return <PageError what="this run" reset={reset} />;
}
