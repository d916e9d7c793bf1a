import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, type Db } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockBusyError, withLock } from '@/lib/locks';
import { startEmbeddedDb } from '@/server/embedded-db';

/** Named locks on the embedded database, through two clients as two instances would hold them. */

let stopDb: () => Promise<void>;
let dataDir: string;
const clients: MongoClient[] = [];
let one: Db;
let other: Db;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-locks-'));
  const database = await startEmbeddedDb({ dataDir, logger: pino({ level: 'silent' }) });
  stopDb = () => database.stop();
  for (let i = 0; i < 2; i++) clients.push(await new MongoClient(database.uri).connect());
  one = clients[0]!.db('syncdeck-locks');
  other = clients[1]!.db('syncdeck-locks');
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await stopDb?.();
  await rm(dataDir, { recursive: true, force: true });
});

describe('withLock', () => {
  it('lets one holder in at a time, across clients, and every caller gets its turn', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withLock(i % 2 ? one : other, 'test.serial', async () => {
          most = Math.max(most, ++inside);
          await sleep(20);
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await one.collection('locks').countDocuments({ _id: 'test.serial' as never })).toBe(0);
  });

  it('lets go when the work throws', async () => {
    await expect(withLock(one, 'test.throws', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(other, 'test.throws', async () => 'free again', { waitMs: 0 })).toBe('free again');
  });

  it('gives up after waitMs while another holds it, and takes over a lock whose holder died', async () => {
    let release!: () => void;
    const held = withLock(one, 'test.busy', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    await expect(withLock(other, 'test.busy', async () => 'never', { waitMs: 200 })).rejects.toBeInstanceOf(LockBusyError);
    release();
    await held;

    // What a process that died while holding it leaves behind: a document nobody will delete.
    await one.collection('locks').insertOne({ _id: 'test.dead' as never, owner: 'gone', expiresAt: new Date(Date.now() + 300) });
    await expect(withLock(other, 'test.dead', async () => 'too soon', { waitMs: 50 })).rejects.toBeInstanceOf(LockBusyError);
    expect(await withLock(other, 'test.dead', async () => 'taken over', { waitMs: 2000 })).toBe('taken over');
  });
});
