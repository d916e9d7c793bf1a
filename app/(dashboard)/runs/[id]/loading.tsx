import { LoadingState } from '@/components/ui/state-panels';

export default function RunLoading() {
  return <LoadingState label="Loading the run…" className="py-24" />;
}
