import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, logout, renewSession, type ErrorBody } from '../support/api';
import { connectDatabase, createUser, type TestDatabase } from '../support/database';
import { connect, openSocket, record, subscribe } from '../support/realtime';
import { startServer, type TestServer } from '../support/server';

/**
 * Signing out ends the session on the server: a copy of its cookie taken before (even before a renewal) gets 401,
 * its live sockets are cut off and cannot reconnect, and the same user's other sessions go on. One server.
 */

let server: TestServer;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startServer();
  database = await connectDatabase(server);
  db = database.db;
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

const me = (cookie: string) => api<ErrorBody>(server.url, '/api/me', { auth: { cookie } });

describe('signing out', () => {
  it('revokes the session: a copied cookie gets 401, its socket is cut off, other browsers stay signed in', async () => {
    const user = await createUser(db, 'operator');
    const copied = await login(server.url, user.email, user.password);
    const otherBrowser = await login(server.url, user.email, user.password);
    // The browser's cookie is renewed after the copy was taken: the copy and the renewed cookie are one session.
    const renewed = await renewSession(server.url, copied);
    expect(renewed).not.toBe(copied);
    expect((await me(copied)).status).toBe(200);

    const socket = openSocket(server.url, { cookie: copied });
    const events = record(socket);
    await connect(socket);
    await subscribe(socket, ['overview']);
    await events.waitFor('heartbeat', () => true, 20_000);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    const out = await logout(server.url, renewed);
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((c) => /session-token=;/.test(c) || /session-token=[^;]*;.*Max-Age=0/i.test(c))).toBe(true);

    for (const cookie of [copied, renewed]) {
      const after = await me(cookie);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthorized');
    }
    const write = await api(server.url, '/api/scheduler/pause', { method: 'POST', auth: { cookie: copied } });
    expect(write.status).toBe(401);

    expect(await disconnected).toBe('io server disconnect');
    const again = openSocket(server.url, { cookie: copied });
    await expect(connect(again)).rejects.toThrow(/unauthorized/);
    again.close();
    socket.close();

    expect((await me(otherBrowser)).status).toBe(200);
    // Signing in again starts a new session.
    expect((await me(await login(server.url, user.email, user.password))).status).toBe(200);
  });

  it('a sign-out posted from another origin is refused and ends nothing', async () => {
    const user = await createUser(db, 'viewer');
    const cookie = await login(server.url, user.email, user.password);
    const forged = await logout(server.url, cookie, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
  });

  it('a sign-out without next-auth’s CSRF token ends nothing', async () => {
    const user = await createUser(db, 'viewer');
    const cookie = await login(server.url, user.email, user.password);
    const res = await fetch(`${server.url}/api/auth/signout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: server.url },
      body: new URLSearchParams({ csrfToken: 'forged', json: 'true' }),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    expect((await me(cookie)).status).toBe(200);
  });
});
