import { LoadingState } from '@/components/ui/state-panels';

export default function ConnectorLoading() {
  return <LoadingState label="Loading the connector…" className="py-24" />;
}
