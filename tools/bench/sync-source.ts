/**
 * The fake upstream of `npm run bench:sync`: a plain node:http server on 127.0.0.1 (ephemeral port) that answers
 * `GET /records?page=&per_page=` with generated records, built page by page on the fly — it never holds more than
 * one page. Run as its own process by tools/bench/sync.ts so its CPU and memory are not counted as the connector's:
 *
 *   node --import tsx tools/bench/sync-source.ts --records 100000 --token <bearer>
 *
 * It prints one JSON line `{"port":…}` once it listens, and exits when its stdin closes (its parent died).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const COUNTRIES = ['DE', 'FR', 'PL', 'US', 'BR', 'JP', 'IN', 'GB', 'ES', 'NL'];
const PLANS = ['free', 'team', 'business', 'enterprise'];

/** One generated record; the same `n` always gives the same record. Around 300 bytes of JSON. */
export function benchRecord(n: number) {
  const id = `rec-${String(n).padStart(8, '0')}`;
  return {
    id,
    name: `Bench customer ${n}`,
    email: `customer${n}@bench.example`,
    country: COUNTRIES[n % COUNTRIES.length]!,
    plan: PLANS[(n * 7) % PLANS.length]!,
    seats: 1 + ((n * 13) % 500),
    active: n % 11 !== 0,
    balance: ((n * 7919) % 1_000_000) / 100,
    tags: [`segment-${n % 17}`, `region-${n % 5}`],
    address: { city: `City ${n % 997}`, zip: String(10_000 + (n % 89_999)) },
    updatedAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  };
}

export type BenchRecord = ReturnType<typeof benchRecord>;

function main() {
  const { values } = parseArgs({ options: { records: { type: 'string' }, token: { type: 'string' } } });
  const total = Number(values.records);
  const token = values.token ?? '';
  if (!Number.isInteger(total) || total < 1 || !token) {
    process.stderr.write('usage: sync-source.ts --records <n> --token <bearer>\n');
    process.exit(2);
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (url.pathname !== '/records') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    const perPage = Number(url.searchParams.get('per_page') ?? '100');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 10_000) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"page must be >= 1, per_page 1..10000"}');
      return;
    }
    const first = (page - 1) * perPage + 1;
    const last = Math.min(total, page * perPage);
    const data: BenchRecord[] = [];
    for (let n = first; n <= last; n++) data.push(benchRecord(n));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, page, per_page: perPage, total }));
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  // The parent holds our stdin; when it goes away (even killed), so do we.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
