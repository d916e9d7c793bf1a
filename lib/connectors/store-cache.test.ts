import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { listConnectors, noteConnectorsChanged, type ConnectorDoc } from './store';

/** Just enough of a database for the connector list: a settings collection by `_id`, a connectors collection. */
function fakeDb() {
  const settings = new Map<string, Record<string, unknown>>();
  const docs: ConnectorDoc[] = [];
  let reads = 0;
  const db = {
    collection: (name: string) =>
      name === 'settings'
        ? {
            findOne: async ({ _id }: { _id: string }) => structuredClone(settings.get(_id) ?? null),
            updateOne: async ({ _id }: { _id: string }, { $set }: { $set: Record<string, unknown> }) => void settings.set(_id, { ...settings.get(_id), _id, ...$set }),
          }
        : { find: () => ({ sort: () => ({ toArray: async () => (reads++, await new Promise((r) => setTimeout(r, 5)), structuredClone(docs)) }) }) },
  } as unknown as Db;
  return { db, docs, reads: () => reads };
}

const connector = (id: string, name: string) => ({ _id: id, name, policies: { minGapSeconds: 0 } }) as unknown as ConnectorDoc;

describe('the cached connector list', () => {
  it('reads the connectors again only after a change was noted', async () => {
    const { db, docs, reads } = fakeDb();
    docs.push(connector('a', 'Alpha'));
    expect((await listConnectors({ db })).map((c) => c.name)).toEqual(['Alpha']);
    expect((await listConnectors({ db })).map((c) => c.name)).toEqual(['Alpha']);
    expect(reads()).toBe(1);

    docs.push(connector('b', 'Beta'));
    await noteConnectorsChanged(db);
    expect((await listConnectors({ db })).map((c) => c.name)).toEqual(['Alpha', 'Beta']);
    expect(reads()).toBe(2);
  });

  it('has callers that find the same marker share one read, and reads anew once a change is noted', async () => {
    const { db, docs, reads } = fakeDb();
    docs.push(connector('a', 'Alpha'));
    await noteConnectorsChanged(db);
    const [one, two, three] = await Promise.all([listConnectors({ db }), listConnectors({ db }), listConnectors({ db })]);
    expect(reads()).toBe(1);
    expect([one, two, three].map((list) => list.map((c) => c.name))).toEqual([['Alpha'], ['Alpha'], ['Alpha']]);
    expect(one).not.toBe(two); // each caller still gets an array of its own

    docs.push(connector('b', 'Beta'));
    await noteConnectorsChanged(db);
    const [four, five] = await Promise.all([listConnectors({ db }), listConnectors({ db })]);
    expect(reads()).toBe(2);
    expect([four, five].map((list) => list.map((c) => c.name))).toEqual([['Alpha', 'Beta'], ['Alpha', 'Beta']]);
  });

  it('hands out read-only connectors: a change throws and leaves the list as read', async () => {
    const { db, docs } = fakeDb();
    docs.push(connector('a', 'Alpha'));
    const first = await listConnectors({ db });
    expect(() => {
      first[0]!.name = 'changed by a caller';
    }).toThrow(TypeError);
    expect(() => {
      first[0]!.policies.minGapSeconds = 99;
    }).toThrow(TypeError);
    // The array itself is the caller's to sort or filter.
    first.pop();
    const second = await listConnectors({ db });
    expect(second.map((c) => [c.name, c.policies.minGapSeconds])).toEqual([['Alpha', 0]]);
  });
});
