import { randomBytes, scryptSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiterAttemptLog } from '@/lib/auth/attempt-log-store';
import { SIGN_IN_ATTEMPTS_COLLECTION, SIGN_IN_LIMITS } from '@/lib/auth/sign-in-limit';
import { tooManyAttemptsMessage } from '@/lib/auth/sign-in-refusal';
import { HASH_CONCURRENCY, HASH_PARAMS } from '@/lib/users/password';
import { eventually } from '../support/api';
import { connectDatabase, createUser, type TestDatabase } from '../support/database';
import { startServer, type TestServer } from '../support/server';

/**
 * Sign-in limits over real HTTP against real servers on one embedded database: 429 with Retry-After, the three
 * limits (address+account, account, address), two instances sharing the counts, the hash concurrency bound, logs.
 * Every test signs in from its own addresses, told to the servers through X-Forwarded-For (TRUST_PROXY=true).
 */

/** Server A keeps attempts long enough for the slow tests; server B (same database) forgets them quickly. */
const WINDOW_A_S = 120;
const WINDOW_B_S = 10;
const WRONG = 'not the right password 0001';

let a: TestServer;
let b: TestServer;
let database: TestDatabase;

beforeAll(async () => {
  a = await startServer({ env: { TRUST_PROXY: 'true', SIGN_IN_WINDOW_S: String(WINDOW_A_S) } });
  database = await connectDatabase(a);
  b = await startServer({ env: { TRUST_PROXY: 'true', SIGN_IN_WINDOW_S: String(WINDOW_B_S), MONGODB_URI: a.mongoUri! } });
});

afterAll(async () => {
  await database?.close();
  expect((await b?.dispose())?.orphans ?? []).toEqual([]);
  expect((await a?.dispose())?.orphans ?? []).toEqual([]);
});

let addresses = 0;
/** A client address no other attempt in this file uses. */
const newAddress = () => {
  addresses += 1;
  return `10.77.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

let unknown = 0;
const unknownEmail = () => `nobody-${process.pid}-${++unknown}@syncdeck.test`;

interface Attempt {
  status: number;
  retryAfter: string | null;
  body: { url?: string; error?: { code: string; message: string } } | null;
  signedIn: boolean;
}

/**
 * One credentials sign-in as the login form sends it (next-auth's CSRF token, `json=true`), or as a plain form
 * POST (`json: false`, answered with redirects).
 */
async function attempt(url: string, options: { email: string; password: string; address: string; json?: boolean; headers?: Record<string, string> }): Promise<Attempt> {
  const headers = { ...options.headers, 'x-forwarded-for': options.address, origin: url };
  const csrf = await fetch(`${url}/api/auth/csrf`, { headers });
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: options.email, password: options.password });
  if (options.json !== false) form.set('json', 'true');
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: form,
    redirect: 'manual',
  });
  const text = await res.text();
  let body: Attempt['body'] = null;
  try {
    body = JSON.parse(text) as Attempt['body'];
  } catch {
    // A redirect (plain form POST) has no JSON body.
  }
  const signedIn = res.headers.getSetCookie().some((c) => /session-token=[^;]/.test(c));
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, signedIn };
}

/** Attempts of one limiter key stored right now (see attempt-log-store.ts). */
const storedAttempts = (limit: keyof typeof SIGN_IN_LIMITS, key: string) =>
  database.db.collection(SIGN_IN_ATTEMPTS_COLLECTION).countDocuments({ key: `sign-in-${limit}:${key}` });

function expectRateLimited(res: Attempt, windowS: number): number {
  expect(res.status).toBe(429);
  expect(res.signedIn).toBe(false);
  const seconds = Number(res.retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowS);
  return seconds;
}

describe('sign-in limits', () => {
  it('after 5 wrong passwords from one address, refuses that address on that account (the right password too) with 429', async () => {
    const user = await createUser(database.db, 'viewer');
    const from = newAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) expect((await attempt(a.url, { ...user, password: WRONG, address: from })).status).toBe(401);

    const refused = await attempt(a.url, { ...user, password: WRONG, address: from });
    const seconds = expectRateLimited(refused, WINDOW_A_S);
    expect(refused.body?.error).toEqual({ code: 'rate_limited', message: tooManyAttemptsMessage(seconds) });
    // next-auth's client (the login form) reads the error from this URL.
    expect(new URL(refused.body!.url!).searchParams.get('error')).toBe(`TooManyAttempts:${seconds}`);

    expectRateLimited(await attempt(a.url, { ...user, address: from }), WINDOW_A_S);
    expectRateLimited(await attempt(a.url, { ...user, address: from, json: false }), WINDOW_A_S);
    // Refused attempts are not counted: the address still has exactly its 5 failures.
    expect(await storedAttempts('pair', `${from} ${user.email}`)).toBe(SIGN_IN_LIMITS.pair);
    // The account itself is not locked: its user signs in from elsewhere.
    expect((await attempt(a.url, { ...user, address: newAddress() })).signedIn).toBe(true);
  });

  it('counts the address the server saw, whatever address header the client sends in its place', async () => {
    const user = await createUser(database.db, 'viewer');
    const from = newAddress();
    const claimed = newAddress();
    const res = await attempt(a.url, { ...user, password: WRONG, address: from, headers: { 'x-syncdeck-client-address': claimed } });
    expect(res.status).toBe(401);
    expect(await storedAttempts('pair', `${from} ${user.email}`)).toBe(1);
    expect(await storedAttempts('pair', `${claimed} ${user.email}`)).toBe(0);
  });

  it('lets the right password in again once the window has passed', async () => {
    const user = await createUser(database.db, 'viewer');
    const from = newAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) expect((await attempt(b.url, { ...user, password: WRONG, address: from })).status).toBe(401);
    expectRateLimited(await attempt(b.url, { ...user, address: from }), WINDOW_B_S);
    await eventually(async () => (await attempt(b.url, { ...user, address: from })).signedIn, {
      timeoutMs: (WINDOW_B_S + 30) * 1000,
      everyMs: 1000,
      what: 'the right password to be accepted after the window',
    });
  });

  it('ends the consecutive failures of an address with a successful sign-in', async () => {
    const user = await createUser(database.db, 'viewer');
    const from = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.pair - 1; i++) statuses.push((await attempt(a.url, { ...user, password: WRONG, address: from })).status);
    expect((await attempt(a.url, { ...user, address: from })).signedIn).toBe(true);
    for (let i = 0; i < SIGN_IN_LIMITS.pair - 1; i++) statuses.push((await attempt(a.url, { ...user, password: WRONG, address: from })).status);
    expect(statuses).toEqual(Array(2 * (SIGN_IN_LIMITS.pair - 1)).fill(401));
  });

  it('limits one account from every address together', async () => {
    const user = await createUser(database.db, 'viewer');
    const failures = Promise.all(Array.from({ length: SIGN_IN_LIMITS.account }, () => attempt(a.url, { ...user, password: WRONG, address: newAddress() })));
    // Counted before their hashes run: the next attempt is refused as soon as all are stored.
    await eventually(async () => (await storedAttempts('account', user.email)) === SIGN_IN_LIMITS.account, { what: 'the failures to be counted' });
    expectRateLimited(await attempt(a.url, { ...user, address: newAddress() }), WINDOW_A_S);
    expect((await failures).map((r) => r.status)).toEqual(Array(SIGN_IN_LIMITS.account).fill(401));
  });

  it('limits one address over every account together', async () => {
    const from = newAddress();
    const results: Attempt[] = [];
    // In batches, so that the hashes waiting never reach the queue's bound (503).
    for (let done = 0; done < SIGN_IN_LIMITS.address; done += 10) {
      results.push(...(await Promise.all(Array.from({ length: 10 }, () => attempt(a.url, { email: unknownEmail(), password: WRONG, address: from })))));
    }
    expect(results.map((r) => r.status)).toEqual(Array(SIGN_IN_LIMITS.address).fill(401));
    const user = await createUser(database.db, 'viewer');
    expectRateLimited(await attempt(a.url, { ...user, address: from }), WINDOW_A_S);
  });

  it('shares the counts between two instances on one database', async () => {
    const user = await createUser(database.db, 'viewer');
    const from = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) statuses.push((await attempt(i % 2 ? b.url : a.url, { ...user, password: WRONG, address: from })).status);
    expect(statuses).toEqual(Array(SIGN_IN_LIMITS.pair).fill(401));
    expectRateLimited(await attempt(b.url, { ...user, address: from }), WINDOW_B_S);
    expectRateLimited(await attempt(a.url, { ...user, address: from }), WINDOW_A_S);
  });

  it('re-hashes a password stored at the former cost (N=2^17, p=1) when its user signs in', async () => {
    const user = await createUser(database.db, 'viewer');
    const salt = randomBytes(16);
    const key = scryptSync(user.password.normalize('NFKC'), salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 2 ** 20 });
    const legacy = ['scrypt', 2 ** 17, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    const users = database.db.collection<{ email: string; passwordHash: string }>('users');
    await users.updateOne({ email: user.email }, { $set: { passwordHash: legacy } });
    expect((await attempt(a.url, { ...user, address: newAddress() })).signedIn).toBe(true);
    const rehashed = (await users.findOne({ email: user.email }))!.passwordHash;
    expect(rehashed.split('$').slice(0, 4)).toEqual(['scrypt', String(HASH_PARAMS.N), String(HASH_PARAMS.r), String(HASH_PARAMS.p)]);
    expect((await attempt(a.url, { ...user, address: newAddress() })).signedIn).toBe(true);
    expect((await attempt(a.url, { ...user, password: WRONG, address: newAddress() })).status).toBe(401);
  });

  it('logs failed and refused sign-ins with email and address, never the password', async () => {
    const user = await createUser(database.db, 'viewer', 'a-password-to-never-log-0001');
    const from = newAddress();
    const secret = 'a-wrong-password-to-never-log';
    for (let i = 0; i <= SIGN_IN_LIMITS.pair; i++) await attempt(a.url, { ...user, password: secret, address: from });
    const lines = () => a.logs().split('\n').filter((line) => line.includes(user.email));
    await eventually(() => lines().some((line) => line.includes('too many attempts')), { what: 'the refusal in the log' });
    const entries = lines().map((line) => JSON.parse(line) as { level: number; msg: string; email: string; address: string });
    expect(entries.filter((e) => e.msg === 'failed sign-in')).toHaveLength(SIGN_IN_LIMITS.pair);
    expect(entries.filter((e) => e.msg === 'sign-in refused: too many attempts')).toHaveLength(1);
    for (const entry of entries) expect(entry).toMatchObject({ level: 40, email: user.email, address: from });
    expect(a.logs()).not.toContain(secret);
    expect(a.logs()).not.toContain(user.password);
  });
});

/** The server's resident memory now (VmRSS), in bytes. */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('password hashing under a burst', () => {
  it('computes a bounded number of hashes at once: 20 parallel attempts add at most that many hashes of memory', async () => {
    const hashBytes = 128 * HASH_PARAMS.N * HASH_PARAMS.r;
    // Warm-up: the code paths are loaded before the baseline.
    await Promise.all(Array.from({ length: 4 }, () => attempt(b.url, { email: unknownEmail(), password: WRONG, address: newAddress() })));
    const before = await rss(b.pid);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rss(b.pid));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(b.url, { email: unknownEmail(), password: WRONG, address: newAddress() })));
    sampling = false;
    await sampler;
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(401));
    const grew = peak - before;
    // Unbounded, node's four hashing threads would hold 4 hashes' memory at once.
    console.info(`RSS grew by at most ${(grew / 2 ** 20).toFixed(1)} MiB during 20 parallel sign-ins (bound: ${HASH_CONCURRENCY} x ${hashBytes / 2 ** 20} MiB)`);
    expect(grew).toBeLessThan(HASH_CONCURRENCY * hashBytes + 40 * 2 ** 20);
  });
});

describe('the attempt store on the embedded database', () => {
  let clients: MongoClient[] = [];
  beforeAll(async () => {
    clients = await Promise.all(
      [0, 1].map(async () => {
        const client = new MongoClient(a.mongoUri!, { directConnection: true, maxPoolSize: 2 });
        return client.connect();
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  const limiters = (points: number, keyPrefix: string) =>
    clients.map((client) => new RateLimiterAttemptLog({ db: client.db('syncdeck-store-test'), collection: 'attempts', keyPrefix, points, duration: 60 }));

  it('counts every one of 100 concurrent attempts from two clients', async () => {
    const pair = limiters(1000, 'exact');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pair[i % 2]!.consume('k')));
    expect(Math.max(...results.map((r) => r.consumedPoints))).toBe(100);
    expect((await pair[0]!.get('k'))?.consumedPoints).toBe(100);
  });

  it('never lets more concurrent attempts through than the limit allows', async () => {
    const pair = limiters(5, 'bounded');
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pair[i % 2]!.consume('k')));
    // Racing attempts may all see each other and all be refused; more than the limit never get through.
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBeLessThanOrEqual(5);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(RateLimiterRes);
    expect((await pair[0]!.get('k'))?.consumedPoints).toBe(20);
  });

  it('deletes expired attempts (FerretDB has no TTL index)', async () => {
    const stored = (key: string) => clients[0]!.db('syncdeck-store-test').collection('attempts').countDocuments({ key: `expiring:${key}` });
    const shortLived = () => new RateLimiterAttemptLog({ db: clients[1]!.db('syncdeck-store-test'), collection: 'attempts', keyPrefix: 'expiring', points: 5, duration: 1 });
    await shortLived().consume('old');
    expect(await stored('old')).toBe(1);
    // A writer prunes at most once a minute; a new limiter (a restarted instance) prunes at its first write.
    await eventually(async () => {
      await shortLived().consume('new');
      return (await stored('old')) === 0;
    }, { what: 'the expired attempt to be deleted' });
  });
});
