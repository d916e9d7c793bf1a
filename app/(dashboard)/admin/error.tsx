'use client';

import { PageError } from '@/components/layout/page-error';

export default function AdminError({ reset }: { error: Error; reset: () => void }) {
  return <PageError what="the administration page" reset={reset} />;
}
