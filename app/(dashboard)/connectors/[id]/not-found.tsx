import { NotFoundNotice } from '@/components/layout/not-found-notice';

export default function ConnectorNotFound() {
  return <NotFoundNotice what="connector" hint="It may have been deleted, or the link is mistyped." />;
}
