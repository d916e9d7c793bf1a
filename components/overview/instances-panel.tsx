'use client';

import type { Overview } from '@/lib/overview';
import { STALE_AFTER_HEARTBEATS } from '@/components/live/connection-state';
import { useNow } from '@/components/time/now-provider';
import { RelativeTime } from '@/components/time/relative-time';
import { card, mutedText } from '@/components/ui/styles';
import { StatusBadge } from './status-badge';

const cell = 'px-4 py-2.5 text-left';

/** The server processes sharing the database, and whether their heartbeats are still coming. */
export function InstancesPanel({ instances, heartbeatIntervalMs }: { instances: Overview['instances']; heartbeatIntervalMs: number }) {
  const { now } = useNow();
  return (
    <section aria-labelledby="instances-title" className={card}>
      <h2 id="instances-title" className="border-b border-slate-100 px-4 py-3 text-sm font-semibold dark:border-slate-800">
        Instances <span className={`font-normal ${mutedText}`}>({instances.length})</span>
      </h2>
      {instances.length === 0 ? (
        <p className={`px-4 py-6 text-sm ${mutedText}`}>No instance has reported a heartbeat yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className={`text-xs ${mutedText}`}>
              <tr>
                <th scope="col" className={`${cell} font-medium`}>Instance</th>
                <th scope="col" className={`${cell} font-medium`}>State</th>
                <th scope="col" className={`${cell} font-medium`}>Last heartbeat</th>
                <th scope="col" className={`${cell} font-medium`}>Running runs</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {instances.map((instance) => {
                const alive = now - Date.parse(instance.lastHeartbeatAt) < STALE_AFTER_HEARTBEATS * heartbeatIntervalMs;
                return (
                  <tr key={instance.id} data-testid="instance-row" data-instance-id={instance.id} data-alive={alive}>
                    <td className={`${cell} font-mono text-xs break-all`}>{instance.id}</td>
                    <td className={cell}>
                      <StatusBadge label={alive ? 'Alive' : 'Not responding'} tone={alive ? 'good' : 'bad'} />
                    </td>
                    <td className={`${cell} tabular-nums`}>
                      <RelativeTime iso={instance.lastHeartbeatAt} />
                    </td>
                    <td className={`${cell} tabular-nums`}>{instance.runningRuns}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
