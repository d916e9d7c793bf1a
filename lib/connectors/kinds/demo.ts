import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SyncError, type ConnectorKind } from '../kind';

/**
 * The built-in demo: pages through generated customer records with small delays, upserts them into
 * `demo_customers`, and now and then fails the way real upstreams do. It gives a new installation
 * something real to watch before any system of its own is connected.
 */
export const demoConfigSchema = z.strictObject({
  records: z.number().int().min(1, { error: 'must be at least 1' }).max(100_000, { error: 'must be at most 100000' }).default(400),
  pageSize: z.number().int().min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }).default(50),
  pageDelayMs: z.number().int().min(0, { error: 'must be at least 0' }).max(10_000, { error: 'must be at most 10000' }).default(250),
  /** Chance (0..1) that a run fails part-way with an upstream error. */
  failureRate: z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(0.1),
  /** Which failures a failing run picks from (all of them by default). */
  failureKinds: z
    .array(z.enum(['upstream', 'network', 'rate-limited', 'bad-data'], { error: 'must be upstream, network, rate-limited or bad-data' }))
    .min(1, { error: 'must name at least one failure kind' })
    .default(['upstream', 'network', 'rate-limited', 'bad-data']),
  /** Share of records (0..1) that change between runs. */
  churn: z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(0.05),
});
export type DemoConfig = z.output<typeof demoConfigSchema>;

const failures = {
  upstream: () => new SyncError('upstream', 'Upstream answered 503 Service Unavailable: "backend is restarting, retry later"'),
  network: () => new SyncError('network', 'connect ECONNRESET while reading page: socket hang up'),
  'rate-limited': () => new SyncError('rate-limited', 'Upstream answered 429 Too Many Requests (Retry-After: 30)'),
  'bad-data': () => new SyncError('bad-data', 'Record without an "id" field in page payload'),
};

const regions = ['EMEA', 'AMER', 'APAC'];
const plans = ['free', 'team', 'business', 'enterprise'];

/** A record whose content changes for a `churn` share of ids per generation (one generation per minute). */
function record(id: number, churn: number, generation: number) {
  const bucket = churn > 0 && (id * 2654435761) % 1000 < churn * 1000 ? generation : 0;
  return {
    _id: `cust-${String(id).padStart(6, '0')}`,
    name: `Customer ${id}`,
    region: regions[id % regions.length]!,
    plan: plans[(id + bucket) % plans.length]!,
    seats: 5 + ((id * 7 + bucket) % 200),
  };
}

export const demoConnector: ConnectorKind<DemoConfig> = {
  kind: 'demo',
  title: 'Demo customers',
  description: 'Generated customer records, paged with delays; fails now and then like a real upstream.',
  configSchema: demoConfigSchema,
  secretsSchema: z.strictObject({}),
  async run({ config, signal, progress, log, counts, destination }) {
    const customers = destination<ReturnType<typeof record>>('demo_customers', { key: '_id' });
    const pages = Math.ceil(config.records / config.pageSize);
    const failAtPage = Math.random() < config.failureRate ? 1 + Math.floor(Math.random() * pages) : -1;
    const generation = Math.floor(Date.now() / 60_000);
    log('info', `fetching ${config.records} records in ${pages} pages of ${config.pageSize}`);
    progress(0, config.records, 'fetching');
    for (let page = 1; page <= pages; page++) {
      await sleep(config.pageDelayMs, undefined, { signal }).catch(() => {
        throw new SyncError('cancelled', `stopped before page ${page} of ${pages}`);
      });
      if (page === failAtPage) throw failures[config.failureKinds[Math.floor(Math.random() * config.failureKinds.length)]!]();
      const first = (page - 1) * config.pageSize + 1;
      const last = Math.min(page * config.pageSize, config.records);
      const docs = Array.from({ length: last - first + 1 }, (_, i) => record(first + i, config.churn, generation));
      counts.fetched += docs.length;
      const written = await customers.upsert(docs);
      log('debug', `page ${page}/${pages}: ${written.created} created, ${written.updated} updated, ${written.unchanged} unchanged`);
      progress(last, config.records, 'fetching');
    }
    log('info', `done: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`);
  },
};
