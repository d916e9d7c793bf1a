import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The data of Syncdeck's built-in demo source (`GET /api/demo-source/customers`): a fixed set of generated
 * customers, the same on every instance and every start. Each customer changes on its own rhythm (every few
 * minutes to every few hours), and its `updatedAt` says when it last did, so incremental syncs see some updates
 * each minute. It is openly a demo: every answer says so, and no record describes a real person or company.
 */

/** How many customers the demo source has. */
export const DEMO_CUSTOMERS = 500;
/** A fixed epoch all generated times are measured from. */
const EPOCH = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

const FIRST = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya'];
const LAST = ['Novak', 'Moreau', 'Schmidt', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Jensen', 'Haddad', 'Larsen', 'Okafor', 'Petrov', 'Ibarra'];
const COMPANY = ['Acme Freight', 'Birch Dental', 'Cobalt Labs', 'Delta Bakery', 'Evergreen Realty', 'Fjord Media', 'Granite Tools', 'Harbor Clinic'];
const COUNTRY = ['DE', 'FR', 'PL', 'IT', 'ES', 'NL', 'SE', 'US', 'BR', 'JP', 'IN', 'GB'];
const PLAN = ['free', 'team', 'business', 'enterprise'];
const STATUS = ['active', 'active', 'active', 'trial', 'past_due', 'paused'];

/** A small deterministic hash of a number and a salt, in [0, 2^32). */
function mix(n: number, salt: number): number {
  let x = (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) + salt * 0xc2b2ae35) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
const pick = <T>(list: readonly T[], n: number, salt: number): T => list[mix(n, salt) % list.length]!;

export interface DemoCustomer {
  id: string;
  name: string;
  email: string;
  company: string;
  country: string;
  plan: string;
  seats: number;
  status: string;
  monthlySpend: number;
  createdAt: string;
  updatedAt: string;
  /** Increases by one each time the record changes. */
  version: number;
}

/** Customer `n` (1-based) as it is at time `now`. */
export function demoCustomer(n: number, now: number): DemoCustomer {
  const createdAt = EPOCH - (1 + (mix(n, 1) % 300)) * 24 * 60 * MINUTE;
  // Changes every 5 minutes to 4 hours, at its own phase.
  const everyMin = 5 + (mix(n, 2) % 236);
  const phaseMin = mix(n, 3) % everyMin;
  const version = Math.max(0, Math.floor(((now - EPOCH) / MINUTE - phaseMin) / everyMin));
  const updatedAt = version === 0 ? createdAt + mix(n, 4) % (24 * 60 * MINUTE) : EPOCH + (phaseMin + version * everyMin) * MINUTE;
  const first = pick(FIRST, n, 5);
  const last = pick(LAST, n, 6);
  return {
    id: `cus_${String(n).padStart(5, '0')}`,
    name: `${first} ${last}`,
    email: `${first}.${last}.${n}@example.com`.toLowerCase(),
    company: pick(COMPANY, n, 7),
    country: pick(COUNTRY, n, 8),
    plan: pick(PLAN, n + version, 9),
    seats: 1 + (mix(n + version, 10) % 250),
    status: pick(STATUS, n + version, 11),
    monthlySpend: (mix(n + version, 12) % 500_000) / 100,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    version,
  };
}

const rateOf = (what: string) =>
  z.coerce
    .number({ error: `must be a number between 0 and 1 (the share of ${what})` })
    .min(0, { error: 'must be between 0 and 1' })
    .max(1, { error: 'must be between 0 and 1' });

/**
 * The query the demo source accepts. Unknown parameters are refused (400 naming them). The misbehaviour rates
 * are parameters too, so a connector's `config.query` sets them and a user changes them like any other config.
 */
export const demoSourceQuerySchema = z.strictObject({
  page: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).default(1),
  per_page: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(200, { error: 'must be at most 200' })
    .default(50),
  /** Only customers with `updatedAt` at or after this time (ISO 8601). */
  updated_since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z' }).optional(),
  /** Share of requests answered 503 with `Retry-After: 1` (a backend restarting). */
  fail_rate: rateOf('requests answered 503').default(0.03),
  /** Share of requests answered 429 with `Retry-After: 2` (rate limited). */
  throttle_rate: rateOf('requests answered 429').default(0.03),
  /** Share of requests answered only after `slow_ms`. */
  slow_rate: rateOf('slow answers').default(0.05),
  slow_ms: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be at least 0' }).max(20_000, { error: 'must be at most 20000' }).default(1500),
  /** Share of whole minutes the source is down (503 to every request for that minute, the same on every instance). */
  outage_rate: rateOf('minutes of outage').default(0.08),
});
export type DemoSourceQuery = z.output<typeof demoSourceQuerySchema>;

/** What the demo source answers with for one request. */
export type DemoAnswer =
  | { kind: 'page'; delayMs: number; body: DemoPage }
  | { kind: 'unavailable'; retryAfterS: number; message: string }
  | { kind: 'throttled'; retryAfterS: number; message: string };

export interface DemoPage {
  demo: true;
  notice: string;
  data: DemoCustomer[];
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
  next_page: number | null;
}

/** True when the minute containing `now` is one of the source's outage minutes. */
export function isOutageMinute(now: number, rate: number): boolean {
  if (rate <= 0) return false;
  const minute = Math.floor(now / MINUTE);
  return mix(minute, 13) / 2 ** 32 < rate;
}

/**
 * The answer to one request at time `now`; `random` decides the per-request misbehaviour (tests pass a fixed
 * one). Customers are ordered by id; `updated_since` filters them before paging, as a real API would.
 */
export function answerDemoSource(query: DemoSourceQuery, now: number, random: () => number = Math.random): DemoAnswer {
  if (isOutageMinute(now, query.outage_rate)) {
    return { kind: 'unavailable', retryAfterS: 5, message: 'Demo source: scheduled outage, back within the minute (a demo of a failing upstream)' };
  }
  if (random() < query.fail_rate) return { kind: 'unavailable', retryAfterS: 1, message: 'Demo source: backend restarting, retry shortly' };
  if (random() < query.throttle_rate) return { kind: 'throttled', retryAfterS: 2, message: 'Demo source: too many requests, slow down' };
  const since = query.updated_since ? Date.parse(query.updated_since) : undefined;
  const matching: DemoCustomer[] = [];
  for (let n = 1; n <= DEMO_CUSTOMERS; n++) {
    const customer = demoCustomer(n, now);
    if (since === undefined || Date.parse(customer.updatedAt) >= since) matching.push(customer);
  }
  const totalPages = Math.ceil(matching.length / query.per_page);
  const start = (query.page - 1) * query.per_page;
  return {
    kind: 'page',
    delayMs: random() < query.slow_rate ? query.slow_ms : 0,
    body: {
      demo: true,
      notice: 'Generated demo data served by Syncdeck itself; no real customers.',
      data: matching.slice(start, start + query.per_page),
      page: query.page,
      per_page: query.per_page,
      total: matching.length,
      total_pages: totalPages,
      next_page: query.page < totalPages ? query.page + 1 : null,
    },
  };
}

/** SHA-256 of a demo API key, as stored (the key itself is kept only as the demo connector's encrypted secret). */
export const demoKeyHash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
