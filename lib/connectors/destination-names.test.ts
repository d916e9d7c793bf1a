import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectionNameProblem, RESERVED_COLLECTIONS } from './destination';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every collection name Syncdeck's own code opens with `.collection('…')` (tests aside). */
function collectionsOpened(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['lib', 'server']) {
    for (const file of readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(path.join(ROOT, dir, file), 'utf8');
      for (const match of text.matchAll(/\.collection(?:<[^>]*>)?\(\s*'([A-Za-z]+)'/g)) names.add(match[1]!);
    }
  }
  return names;
}

describe('destination collection names', () => {
  it("refuse every collection Syncdeck keeps its own state in, the audit log included, whatever the case", () => {
    const opened = collectionsOpened();
    expect(opened.size).toBeGreaterThan(10);
    expect([...opened].filter((name) => !RESERVED_COLLECTIONS.includes(name))).toEqual([]);
    for (const name of ['audit', 'AUDIT', 'liveRuns', 'locks', 'users']) expect(collectionNameProblem(name), name).toMatch(/^must not be one of Syncdeck's own collections/);
  });

  it('accept a plain name and explain a malformed one', () => {
    expect(collectionNameProblem('tickets')).toBeNull();
    expect(collectionNameProblem('1tickets')).toMatch(/must start with a letter/);
    expect(collectionNameProblem('tick ets')).toMatch(/only letters, digits/);
  });
});
