'use client';

import type { ConnectorStatus } from '@/lib/connectors/status';
import { ConnectorTile, type Density } from './connector-tile';
import { tileColumns } from './upcoming';

/** Every connector at once: a grid whose columns and type size follow the count, so nothing ever scrolls. */
export function ConnectorGrid({ connectors, paused }: { connectors: ConnectorStatus[]; paused: boolean }) {
  if (connectors.length === 0) {
    return (
      <section className="flex items-center justify-center rounded-2xl border border-dashed border-slate-700 text-[1.6rem] text-slate-400" data-testid="wall-empty">
        No connectors yet. They appear here as soon as an administrator adds one.
      </section>
    );
  }
  const columns = tileColumns(connectors.length);
  const rows = Math.ceil(connectors.length / columns);
  const density: Density = rows <= 2 ? 'roomy' : rows <= 4 ? 'normal' : 'dense';
  return (
    <section
      aria-label="Connectors"
      data-testid="wall-connectors"
      className="grid min-h-0 gap-[0.8rem]"
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` }}
    >
      {connectors.map((c) => (
        <ConnectorTile key={c.id} connector={c} density={density} paused={paused} />
      ))}
    </section>
  );
}
