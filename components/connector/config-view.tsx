import type { Connector } from '@/lib/connectors/store';
import { card, codeTag, mutedText, sectionTitle } from '@/components/ui/styles';

/** The API shows secrets only as set, with a date; older servers do not send them at all. */
type SecretsView = Record<string, { set: true; updatedAt: string }>;

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className={mutedText}>—</span>;
  if (typeof value === 'boolean') return <span className="font-mono text-xs">{value ? 'true' : 'false'}</span>;
  if (typeof value === 'number') return <span className="font-mono text-xs tabular-nums">{value}</span>;
  if (typeof value === 'string') return <span className="font-mono text-xs break-all">{JSON.stringify(value)}</span>;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return <span className="font-mono text-xs break-all">[{value.map((v) => JSON.stringify(v)).join(', ')}]</span>;
  }
  return <pre className="overflow-x-auto rounded-md bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">{JSON.stringify(value, null, 2)}</pre>;
}

/** The connector's configuration, read-only; secrets appear only as "set". */
export function ConfigView({ connector }: { connector: Connector }) {
  const entries = Object.entries(connector.config);
  const secrets = Object.entries((connector as Connector & { secrets?: SecretsView }).secrets ?? {});
  return (
    <section aria-labelledby="config-title" className={`${card} p-5`} data-testid="connector-config">
      <h2 id="config-title" className={sectionTitle}>
        Configuration
      </h2>
      {entries.length === 0 ? (
        <p className={`mt-3 text-sm ${mutedText}`}>This connector needs no configuration.</p>
      ) : (
        <dl className="mt-3 divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {entries.map(([key, value]) => (
            <div key={key} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-3 py-1.5">
              <dt className={`truncate text-xs font-medium ${mutedText}`} title={key}>
                {key}
              </dt>
              <dd className="min-w-0">
                <Value value={value} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {secrets.length ? (
        <div className="mt-4 border-t border-slate-100 pt-3 dark:border-slate-800">
          <h3 className={`text-xs font-medium ${mutedText}`}>Secrets</h3>
          <ul className="mt-2 flex flex-wrap gap-2">
            {secrets.map(([name]) => (
              <li key={name} className={codeTag}>
                {name}: set
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
