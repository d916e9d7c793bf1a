import { NotFoundNotice } from '@/components/layout/not-found-notice';

export default function RunNotFound() {
  return <NotFoundNotice what="run" hint="Old runs are removed by retention, or the link is mistyped." back={{ href: '/runs', label: 'Back to the run history' }} />;
}
