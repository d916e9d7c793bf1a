import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, renewSession, type Auth, type ErrorBody } from '../support/api';
import { connect, openSocket } from '../support/realtime';
import { connectDatabase, createToken, createUser, type TestDatabase } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * Administration over HTTP: only admins reach users, tokens and the audit log; every change elsewhere (connectors,
 * runs, scheduler, users, tokens) lands in the audit log with who did it and a before/after diff that never holds a
 * secret; the last enabled admin cannot be demoted or disabled; bad input is refused by field and changes nothing.
 */

interface AuditChange {
  path: string;
  before?: unknown;
  after?: unknown;
}
interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string; label: string; role: string };
  action: string;
  target: { type: string; id: string };
  changes: AuditChange[];
  details?: Record<string, unknown>;
}
interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}
interface UserBody {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
}
interface TokenBody {
  id: string;
  name: string;
  role: string;
  hint: string;
  createdBy: string;
  revokedAt?: string;
  token?: string;
}

const SECRET = 'first-secret-value-7f3a9c';
const ROTATED = 'rotated-secret-value-2b8e4d';
/** Long enough to still be running when the test cancels it; the test always cancels it. */
const SLOW = { records: 3000, pageSize: 10, pageDelayMs: 200, failureRate: 0 };

let server: TestServer;
let database: TestDatabase;
let admin: Auth;
let adminId: string;
let viewer: Auth;
let operator: Auth;

beforeAll(async () => {
  server = await startServer({ env: { SECRETS_KEY: randomBytes(32).toString('base64') } });
  database = await connectDatabase(server);
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  const viewerUser = await createUser(database.db, 'viewer');
  viewer = { cookie: await login(server.url, viewerUser.email, viewerUser.password) };
  const operatorUser = await createUser(database.db, 'operator');
  operator = { cookie: await login(server.url, operatorUser.email, operatorUser.password) };
  const users = await api<{ users: UserBody[] }>(server.url, '/api/users', { auth: admin });
  adminId = users.body.users.find((u) => u.email === ADMIN.email)!.id;
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

/** The newest audit entries matching a query (as `GET /api/audit` takes it). */
async function audit(query: Record<string, string> = {}, auth: Auth = admin): Promise<AuditEntry[]> {
  const res = await api<AuditPage>(server.url, `/api/audit?${new URLSearchParams(query)}`, { auth });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.entries;
}

const changesOf = (entry: AuditEntry) => Object.fromEntries(entry.changes.map((c) => [c.path, [c.before, c.after]]));

describe('only admins administer', () => {
  const adminRoutes: Array<[string, string, unknown?]> = [
    ['GET', '/api/users'],
    ['POST', '/api/users', { email: 'x@syncdeck.test', role: 'viewer', password: 'long-enough-password' }],
    ['PATCH', '/api/users/000000000000000000000000', { role: 'admin' }],
    ['GET', '/api/tokens'],
    ['POST', '/api/tokens', { name: 'sneaky', role: 'admin' }],
    ['DELETE', '/api/tokens/000000000000000000000000'],
    ['GET', '/api/audit'],
  ];

  it.each(['viewer', 'operator'] as const)('a %s gets 403 on every admin route, and nothing is created', async (role) => {
    const auth = role === 'viewer' ? viewer : operator;
    for (const [method, path, body] of adminRoutes) {
      const res = await api<ErrorBody>(server.url, path, { method, auth, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const users = await api<{ users: UserBody[] }>(server.url, '/api/users', { auth: admin });
    expect(users.body.users.map((u) => u.email)).not.toContain('x@syncdeck.test');
    const tokens = await api<{ tokens: TokenBody[] }>(server.url, '/api/tokens', { auth: admin });
    expect(tokens.body.tokens.map((t) => t.name)).not.toContain('sneaky');
  });

  it('the OpenAPI document describes the admin routes', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(server.url, '/api/openapi.json', { auth: admin });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/tokens', '/api/tokens/{id}', '/api/audit']));
    expect(Object.keys(doc.body.paths['/api/users/{id}']!)).toContain('patch');
  });
});

describe('connector changes are audited', () => {
  const id = 'audited-http';

  it('create lists the fields and secret names, never secret values', async () => {
    const created = await api(server.url, '/api/connectors', {
      auth: admin,
      body: {
        id,
        name: 'Audited HTTP',
        kind: 'http-json',
        config: { url: 'http://127.0.0.1:9/records', auth: { type: 'bearer' }, destination: { collection: 'audited' } },
        secrets: { token: SECRET },
        enabled: false,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [entry] = await audit({ targetType: 'connector', targetId: id });
    expect(entry).toMatchObject({ action: 'connector.create', actor: { kind: 'user', label: ADMIN.email, role: 'admin' }, target: { type: 'connector', id } });
    expect(changesOf(entry!)).toMatchObject({ name: [undefined, 'Audited HTTP'], 'secrets.token.set': [undefined, true] });
    expect(JSON.stringify(entry)).not.toContain(SECRET);
  });

  it('a patch records exactly the changed paths, and a rotated secret only as changed', async () => {
    const patched = await api(server.url, `/api/connectors/${id}`, {
      method: 'PATCH',
      auth: admin,
      body: { name: 'Audited HTTP v2', policies: { overlap: 'queue-one' }, secrets: { token: ROTATED } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const [entry] = await audit({ targetType: 'connector', targetId: id, action: 'connector.update' });
    const changes = changesOf(entry!);
    expect(changes.name).toEqual(['Audited HTTP', 'Audited HTTP v2']);
    expect(changes['policies.overlap']?.[1]).toBe('queue-one');
    expect(Object.keys(changes)).toContain('secrets.token.updatedAt');
    expect(Object.keys(changes).every((path) => ['name', 'policies.overlap', 'secrets.token.updatedAt'].includes(path))).toBe(true);
    const text = JSON.stringify(entry);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ROTATED);
  });

  it('enable and disable record the switch by the operator who flipped it', async () => {
    expect((await api(server.url, `/api/connectors/${id}/enable`, { method: 'POST', auth: operator })).status).toBe(200);
    expect((await api(server.url, `/api/connectors/${id}/disable`, { method: 'POST', auth: operator })).status).toBe(200);
    const [disabled, enabled] = await audit({ targetType: 'connector', targetId: id, limit: '2' });
    expect(enabled).toMatchObject({ action: 'connector.enable', actor: { role: 'operator' }, changes: [{ path: 'enabled', before: false, after: true }] });
    expect(disabled).toMatchObject({ action: 'connector.disable', changes: [{ path: 'enabled', before: true, after: false }] });
  });

  it('a refused patch changes nothing and records nothing', async () => {
    const before = await audit({ targetType: 'connector', targetId: id });
    const res = await api<ErrorBody>(server.url, `/api/connectors/${id}`, { method: 'PATCH', auth: admin, body: { policies: { overlap: 'sometimes' } } });
    expect(res.status).toBe(400);
    expect((await audit({ targetType: 'connector', targetId: id }))[0]!.id).toBe(before[0]!.id);
  });

  it('delete keeps the last public snapshot', async () => {
    expect((await api(server.url, `/api/connectors/${id}`, { method: 'DELETE', auth: admin })).status).toBe(204);
    const [entry] = await audit({ targetType: 'connector', targetId: id });
    expect(entry).toMatchObject({ action: 'connector.delete' });
    expect(changesOf(entry!).name).toEqual(['Audited HTTP v2', undefined]);
    expect(JSON.stringify(entry)).not.toContain(ROTATED);
  });
});

describe('runs and the scheduler are audited', () => {
  const id = 'audited-run';

  it('run now records the run id; cancel records the run it stopped', async () => {
    const created = await api(server.url, '/api/connectors', { auth: admin, body: { id, name: 'Audited run', kind: 'demo', config: SLOW } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const start = await api<{ runId: string }>(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth: operator });
    expect(start.status).toBe(202);
    const [run] = await audit({ targetId: id, action: 'connector.run' });
    expect(run).toMatchObject({ actor: { role: 'operator' }, target: { type: 'connector', id }, details: { runId: start.body.runId } });

    await eventually(async () => (await api<{ status: string }>(server.url, `/api/runs/${start.body.runId}`, { auth: admin })).body.status === 'running', {
      what: 'the run to start',
    });
    const cancel = await api<{ runId: string }>(server.url, `/api/connectors/${id}/cancel`, { method: 'POST', auth: admin });
    expect(cancel.status).toBe(202);
    const [cancelled] = await audit({ targetId: id, action: 'connector.cancel' });
    expect(cancelled).toMatchObject({ actor: { label: ADMIN.email }, details: { runId: start.body.runId, runStatus: 'running' } });
    await eventually(async () => (await api<{ status: string }>(server.url, `/api/runs/${start.body.runId}`, { auth: admin })).body.status === 'cancelled', {
      what: 'the run to end cancelled',
    });
  });

  it('pause and resume record the state change', async () => {
    expect((await api(server.url, '/api/scheduler/pause', { auth: operator, body: {} })).status).toBe(200);
    expect((await api(server.url, '/api/scheduler/resume', { auth: operator, body: {} })).status).toBe(200);
    const [resumed, paused] = await audit({ targetType: 'scheduler', limit: '2' });
    expect(paused).toMatchObject({ action: 'scheduler.pause', changes: [{ path: 'state', before: 'running', after: 'paused' }] });
    expect(resumed).toMatchObject({ action: 'scheduler.resume', changes: [{ path: 'state', before: 'paused', after: 'running' }] });
  });

  it('filters by actor and pages with the next cursor without repeats', async () => {
    const operatorLabel = (await audit({ action: 'scheduler.pause' }))[0]!.actor.label;
    const mine = await audit({ actor: operatorLabel });
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((e) => e.actor.label === operatorLabel)).toBe(true);

    const seen: string[] = [];
    let before: string | null = null;
    do {
      const query: Record<string, string> = { actor: operatorLabel, limit: '2', ...(before ? { before } : {}) };
      const page = await api<AuditPage>(server.url, `/api/audit?${new URLSearchParams(query)}`, { auth: admin });
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.entries.map((e) => e.id));
      before = page.body.next;
    } while (before);
    expect(seen).toEqual(mine.map((e) => e.id));
  });
});

describe('users', () => {
  let created: UserBody;

  it('create records the new user without its password', async () => {
    const res = await api<UserBody>(server.url, '/api/users', { auth: admin, body: { email: 'New.Person@Syncdeck.test', role: 'viewer', password: 'initial-password-0001' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    created = res.body;
    expect(created).toMatchObject({ email: 'new.person@syncdeck.test', role: 'viewer', disabled: false });
    expect(JSON.stringify(created)).not.toMatch(/password/i);
    const [entry] = await audit({ targetType: 'user', targetId: created.id });
    expect(entry).toMatchObject({ action: 'user.create' });
    expect(JSON.stringify(entry)).not.toContain('initial-password-0001');
  });

  it('a duplicate email is a conflict', async () => {
    const res = await api<ErrorBody>(server.url, '/api/users', { auth: admin, body: { email: 'new.person@syncdeck.test', role: 'viewer', password: 'initial-password-0001' } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('already exists');
  });

  it('a role change is audited as before → after', async () => {
    const res = await api<UserBody>(server.url, `/api/users/${created.id}`, { method: 'PATCH', auth: admin, body: { role: 'operator' } });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('operator');
    const [entry] = await audit({ targetType: 'user', targetId: created.id });
    expect(entry).toMatchObject({ action: 'user.change-role', changes: [{ path: 'role', before: 'viewer', after: 'operator' }] });
  });

  it('a password reset works for sign-in, ends the sessions and live sockets signed in before it, and is audited without the password', async () => {
    const before = await login(server.url, created.email, 'initial-password-0001');
    // A renewed session cookie (pages renew it as they ask for the session) keeps its sign-in time.
    const renewedBefore = await renewSession(server.url, before);
    expect(renewedBefore).not.toBe(before);
    const socketBefore = openSocket(server.url, { cookie: before });
    await connect(socketBefore);
    expect((await api(server.url, '/api/me', { auth: { cookie: renewedBefore } })).status).toBe(200);

    const res = await api(server.url, `/api/users/${created.id}`, { method: 'PATCH', auth: admin, body: { password: 'a-brand-new-password-42' } });
    expect(res.status).toBe(200);
    await expect(login(server.url, created.email, 'initial-password-0001')).rejects.toThrow();
    const after = await login(server.url, created.email, 'a-brand-new-password-42');
    expect(after).toContain('session-token');
    expect((await api(server.url, '/api/me', { auth: { cookie: before } })).status).toBe(401);
    expect((await api(server.url, '/api/me', { auth: { cookie: renewedBefore } })).status).toBe(401);
    expect((await api(server.url, '/api/me', { auth: { cookie: await renewSession(server.url, after) } })).status).toBe(200);
    // The socket of the old session is cut off at the next check; its reconnect is refused, a new session's is not.
    await eventually(() => !socketBefore.connected, { what: 'the old session socket to be disconnected' });
    const again = openSocket(server.url, { cookie: before });
    await expect(connect(again)).rejects.toThrow('unauthorized');
    const socketAfter = openSocket(server.url, { cookie: after });
    await connect(socketAfter);
    socketAfter.disconnect();

    const [entry] = await audit({ targetType: 'user', targetId: created.id });
    expect(entry).toMatchObject({ action: 'user.reset-password', changes: [{ path: 'password', after: 'changed' }] });
    expect(JSON.stringify(entry)).not.toContain('a-brand-new-password-42');
  });

  it('disable stops the user at once; enable lets them back', async () => {
    const cookie = await login(server.url, created.email, 'a-brand-new-password-42');
    expect((await api(server.url, `/api/users/${created.id}`, { method: 'PATCH', auth: admin, body: { disabled: true } })).status).toBe(200);
    expect((await api(server.url, '/api/me', { auth: { cookie } })).status).toBe(401);
    expect((await api(server.url, `/api/users/${created.id}`, { method: 'PATCH', auth: admin, body: { disabled: false } })).status).toBe(200);
    expect((await api(server.url, '/api/me', { auth: { cookie } })).status).toBe(200);
    const [enabled, disabled] = await audit({ targetType: 'user', targetId: created.id, limit: '2' });
    expect(disabled).toMatchObject({ action: 'user.disable', changes: [{ path: 'disabled', before: false, after: true }] });
    expect(enabled).toMatchObject({ action: 'user.enable', changes: [{ path: 'disabled', before: true, after: false }] });
  });

  it.each([
    [{ role: 'root' }, 'role', 'must be one of viewer, operator, admin'],
    [{ password: 'short' }, 'password', 'must be at least 12 characters'],
    [{ disabled: 'yes' }, 'disabled', 'must be true or false'],
    [{ shoeSize: 44 }, 'shoeSize', 'is not a known field'],
    [{}, '(body)', 'must change at least one of name, role, disabled, password'],
  ])('bad input %j gets 400 naming %s and changes nothing', async (body, path, message) => {
    const before = await audit({ targetType: 'user', targetId: created.id });
    const res = await api<ErrorBody>(server.url, `/api/users/${created.id}`, { method: 'PATCH', auth: admin, body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toContainEqual({ path, message });
    const after = await api<{ users: UserBody[] }>(server.url, '/api/users', { auth: admin });
    expect(after.body.users.find((u) => u.id === created.id)).toMatchObject({ role: 'operator', disabled: false });
    expect((await audit({ targetType: 'user', targetId: created.id }))[0]!.id).toBe(before[0]!.id);
  });

  it('bad input on create names every field', async () => {
    const res = await api<ErrorBody>(server.url, '/api/users', { auth: admin, body: { email: 'nope', role: 'boss', password: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path).sort()).toEqual(['email', 'password', 'role']);
  });

  it('an unknown user id is 404', async () => {
    const res = await api<ErrorBody>(server.url, '/api/users/0123456789abcdef01234567', { method: 'PATCH', auth: admin, body: { role: 'viewer' } });
    expect(res.status).toBe(404);
  });
});

describe('the last enabled admin', () => {
  it('cannot demote or disable themself (409), and nothing changes', async () => {
    for (const body of [{ role: 'operator' }, { disabled: true }]) {
      const res = await api<ErrorBody>(server.url, `/api/users/${adminId}`, { method: 'PATCH', auth: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('You are the last active admin') });
    }
    const me = await api<{ role: string }>(server.url, '/api/me', { auth: admin });
    expect(me.body.role).toBe('admin');
  });

  it('can step down once another admin exists', async () => {
    const second = await api<UserBody>(server.url, '/api/users', { auth: admin, body: { email: 'second.admin@syncdeck.test', role: 'admin', password: 'second-admin-password' } });
    expect(second.status).toBe(201);
    const secondAuth = { cookie: await login(server.url, 'second.admin@syncdeck.test', 'second-admin-password') };
    // The second admin may step down while the first remains…
    expect((await api(server.url, `/api/users/${second.body.id}`, { method: 'PATCH', auth: secondAuth, body: { role: 'viewer' } })).status).toBe(200);
    // …after which the first is the last one again.
    expect((await api(server.url, `/api/users/${adminId}`, { method: 'PATCH', auth: admin, body: { disabled: true } })).status).toBe(409);
  });

  it('two admins demoted at the same moment: one change is made, the other is refused, one admin remains', async () => {
    // An admin API token acts here, so neither request depends on the users being demoted.
    const tokenAuth = { token: (await createToken(database.db, 'admin', 'demotions')).token };
    const second = (await api<UserBody>(server.url, '/api/users', { auth: tokenAuth, body: { email: 'rival.admin@syncdeck.test', role: 'admin', password: 'rival-admin-password' } })).body;
    expect(second.id).toBeDefined();

    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        api<ErrorBody>(server.url, `/api/users/${adminId}`, { method: 'PATCH', auth: tokenAuth, body: { role: 'viewer' } }),
        api<ErrorBody>(server.url, `/api/users/${second.id}`, { method: 'PATCH', auth: tokenAuth, body: { disabled: true } }),
      ]);
      expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 409]);
      const after = (await api<{ users: UserBody[] }>(server.url, '/api/users', { auth: tokenAuth })).body.users;
      expect(after.filter((u) => u.role === 'admin' && !u.disabled), `round ${round}`).toHaveLength(1);
      // Back as before for the next round (and the tests after this one).
      for (const [id, body] of [[adminId, { role: 'admin' }], [second.id, { disabled: false }]] as const) {
        expect((await api(server.url, `/api/users/${id}`, { method: 'PATCH', auth: tokenAuth, body })).status).toBe(200);
      }
    }
    expect((await api(server.url, `/api/users/${second.id}`, { method: 'PATCH', auth: tokenAuth, body: { role: 'viewer' } })).status).toBe(200);
  });
});

describe('tokens', () => {
  it('create shows the token once; lists never show it; revoke is audited and takes effect', async () => {
    const created = await api<TokenBody>(server.url, '/api/tokens', { auth: admin, body: { name: 'ops wall', role: 'display' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = created.body.token!;
    expect(token).toMatch(/^sdk_[\w-]{43}$/);
    expect(created.body).toMatchObject({ name: 'ops wall', role: 'display', createdBy: ADMIN.email });

    const list = await api<{ tokens: TokenBody[] }>(server.url, '/api/tokens', { auth: admin });
    expect(list.body.tokens.find((t) => t.id === created.body.id)).toMatchObject({ name: 'ops wall', role: 'display' });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await api(server.url, '/api/overview', { auth: { token } })).status).toBe(200);

    const [createdEntry] = await audit({ targetType: 'token', targetId: created.body.id });
    expect(createdEntry).toMatchObject({ action: 'token.create' });
    expect(changesOf(createdEntry!)).toMatchObject({ name: [undefined, 'ops wall'], role: [undefined, 'display'] });
    expect(JSON.stringify(createdEntry)).not.toContain(token);

    const revoked = await api<TokenBody>(server.url, `/api/tokens/${created.body.id}`, { method: 'DELETE', auth: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await api(server.url, '/api/overview', { auth: { token } })).status).toBe(401);
    const [revokedEntry] = await audit({ targetType: 'token', targetId: created.body.id });
    expect(revokedEntry).toMatchObject({ action: 'token.revoke', changes: [{ path: 'revoked', before: false, after: true }] });

    const again = await api<ErrorBody>(server.url, `/api/tokens/${created.body.id}`, { method: 'DELETE', auth: admin });
    expect(again.status).toBe(409);
  });

  it('bad token input names the field; an unknown id is 404', async () => {
    const res = await api<ErrorBody>(server.url, '/api/tokens', { auth: admin, body: { name: 'a/b', role: 'root' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path).sort()).toEqual(['name', 'role']);
    expect((await api(server.url, '/api/tokens/0123456789abcdef01234567', { method: 'DELETE', auth: admin })).status).toBe(404);
  });

  it('bad audit queries name the parameter', async () => {
    const res = await api<ErrorBody>(server.url, '/api/audit?limit=0&targetType=planet', { auth: admin });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path).sort()).toEqual(['limit', 'targetType']);
  });
});
