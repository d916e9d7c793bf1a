'use client';

import { PageError } from '@/components/layout/page-error';

export default function RunsError({ reset }: { error: Error; reset: () => void }) {
  return <PageError what="the run history" reset={reset} />;
}
