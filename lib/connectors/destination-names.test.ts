import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collections, RESERVED_COLLECTIONS } from '@/lib/store/collections';
import { collectionNameProblem } from './destination';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Where code opens a collection by a literal name: `.collection('…')` (with or without a type argument), or a
 * library option `collection: '…'` naming one of Syncdeck's collections. A destination opening a user's collection
 * by a variable is not a literal, nor is a preset's default destination (`presetFields.collection('…')`).
 */
function literalCollectionNames(text: string): string[] {
  const opened = [...text.matchAll(/(?<!presetFields)\.collection\s*(?:<[^()]*>)?\(\s*(['"`])([^'"`$]+)\1/g)].map((m) => m[2]!);
  const options = [...text.matchAll(/\bcollection(?:Name)?\s*:\s*(['"`])([^'"`$]+)\1/g)].map((m) => m[2]!).filter((name) => RESERVED_COLLECTIONS.includes(name));
  return [...opened, ...options];
}

/** A benchmark's stand-in for a connector's destination: user data, not Syncdeck's. */
const USER_DATA = new Set(['tools/bench/sync.ts: bench_naive']);

/** `file: name` for every literal collection name in Syncdeck's code outside lib/store (tests aside). */
function literalsOutsideStore(): string[] {
  const found: string[] = [];
  for (const dir of ['lib', 'server', 'app', 'components', 'tools']) {
    for (const file of readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file) || file.includes('node_modules') || path.join(dir, file).startsWith(path.join('lib', 'store'))) continue;
      const text = readFileSync(path.join(ROOT, dir, file), 'utf8');
      for (const name of literalCollectionNames(text)) found.push(`${path.join(dir, file)}: ${name}`);
    }
  }
  return found.filter((entry) => !USER_DATA.has(entry));
}

describe('collection names', () => {
  it('are written only in lib/store: no other file opens a collection by a literal name', () => {
    expect(literalsOutsideStore()).toEqual([]);
  });

  it('are found by the check in the forms code writes them', () => {
    expect(literalCollectionNames(`db.collection('runs'); db.collection<RunDoc>("users"); db.collection(\`locks\`)`)).toEqual(['runs', 'users', 'locks']);
    expect(literalCollectionNames(`new MongoBackend({ mongo: db, collection: 'agendaJobs' })`)).toEqual(['agendaJobs']);
    expect(literalCollectionNames("db.collection(name); db.collection(`bench_${mode}`); presetFields.collection('jira_issues'); destination: { collection: 'tickets' }")).toEqual([]);
  });
});

describe('destination collection names', () => {
  it("refuse every collection Syncdeck keeps its own state in, Agenda's and the audit log included, whatever the case", () => {
    expect(RESERVED_COLLECTIONS).toEqual(Object.values(collections).map((c) => c.collectionName));
    for (const name of RESERVED_COLLECTIONS) expect(collectionNameProblem(name), name).toMatch(/^must not be one of Syncdeck's own collections/);
    for (const name of ['AUDIT', 'agenda_logs', 'agendaJobs', 'liveRuns', 'signInAttempts']) expect(collectionNameProblem(name), name).toMatch(/^must not be one of Syncdeck's own collections/);
  });

  it('accept a plain name and explain a malformed one', () => {
    expect(collectionNameProblem('tickets')).toBeNull();
    expect(collectionNameProblem('1tickets')).toMatch(/must start with a letter/);
    expect(collectionNameProblem('tick ets')).toMatch(/only letters, digits/);
  });
});
