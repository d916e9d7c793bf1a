import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyIdOf } from '@/lib/secrets/keys';
import { api } from '../support/api';
import { connectDatabase, createToken } from '../support/database';
import { startServer, type TestServer } from '../support/server';
import { startFakeApi, type FakeApi } from '../fixtures/fake-api';

/**
 * Key rotation on a real server: secrets written under one SECRETS_KEY, a restart with a new key alone is refused
 * with a message that says what to set, and a restart with SECRETS_KEY + SECRETS_KEY_PREVIOUS re-encrypts them.
 */

const TOKEN = 'rotation-token-6b1d2e3f4a5c';
const OLD = randomBytes(32);
const NEW = randomBytes(32);

let upstream: FakeApi;
let server: TestServer | undefined;
let dataDir: string;

beforeAll(async () => {
  upstream = await startFakeApi({ records: 5, auth: { bearer: TOKEN } });
});

afterAll(async () => {
  await server?.stop();
  await upstream?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function storedKeyId(target: TestServer): Promise<string> {
  const database = await connectDatabase(target);
  try {
    const doc = await database.db.collection('connectors').findOne({ _id: 'rotating' as never });
    return (doc!.secrets.token.value as string).split(':')[2]!;
  } finally {
    await database.close();
  }
}

it('rotates SECRETS_KEY: refused without the previous key, re-encrypted with it', async () => {
  server = await startServer({ env: { SECRETS_KEY: OLD.toString('base64') } });
  dataDir = server.dataDir;
  const database = await connectDatabase(server);
  const token = (await createToken(database.db, 'admin')).token;
  await database.close();
  const created = await api(server.url, '/api/connectors', {
    auth: { token },
    body: { id: 'rotating', name: 'Rotating', kind: 'http-json', config: { url: `${upstream.url}/page`, auth: { type: 'bearer' }, destination: { collection: 'rotating' } }, secrets: { token: TOKEN } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await storedKeyId(server)).toBe(keyIdOf(OLD));
  await server.stop();
  server = undefined;

  // A new key alone cannot read the stored secrets: the server refuses to start and says what to set.
  const refused = await startServer({ dataDir, env: { SECRETS_KEY: NEW.toString('hex') } }).then(
    (s) => s.stop().then(() => 'started'),
    (error: Error) => error.message,
  );
  expect(refused).toContain('exited before it was ready (code 2)');
  expect(refused).toContain('connector rotating, secret token');
  expect(refused).toContain('SECRETS_KEY_PREVIOUS');
  expect(refused).not.toContain(TOKEN);

  server = await startServer({ dataDir, env: { SECRETS_KEY: NEW.toString('hex'), SECRETS_KEY_PREVIOUS: OLD.toString('base64') } });
  expect(await storedKeyId(server)).toBe(keyIdOf(NEW));
  const ran = await api<{ status: string; counts: { created: number } }>(server.url, '/api/connectors/rotating/run?wait=true', { method: 'POST', auth: { token } });
  expect(ran.body).toMatchObject({ status: 'succeeded', counts: { created: 5 } });
  await server.stop();

  // Rotation done: the new key alone is enough from now on.
  server = await startServer({ dataDir, env: { SECRETS_KEY: NEW.toString('base64') } });
  const again = await api<{ status: string }>(server.url, '/api/connectors/rotating/run?wait=true', { method: 'POST', auth: { token } });
  expect(again.body.status).toBe('succeeded');
  expect(server.logs()).not.toContain(TOKEN);
});
