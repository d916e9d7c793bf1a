import { describe, expect, it } from 'vitest';
import type { ConnectorStatus } from '@/lib/connectors/status';
import { formatCountdown, tileColumns, upcomingRuns } from './upcoming';

const connector = (id: string, nextRuns: string[][]): ConnectorStatus =>
  ({
    id,
    name: id.toUpperCase(),
    schedules: nextRuns.map((runs, i) => ({ id: `s${i}`, description: `every ${i + 1} min`, nextRuns: runs })),
  }) as unknown as ConnectorStatus;

describe('upcomingRuns', () => {
  it('merges every schedule of every connector, soonest first, and keeps the limit', () => {
    const now = Date.parse('2026-03-05T10:00:00Z');
    const list = upcomingRuns(
      [
        connector('a', [['2026-03-05T10:05:00Z', '2026-03-05T10:10:00Z'], ['2026-03-05T10:01:00Z']]),
        connector('b', [['2026-03-05T09:00:00Z', '2026-03-05T10:03:00Z']]),
      ],
      now,
      3,
    );
    expect(list.map((u) => `${u.connectorId}@${u.at.slice(11, 16)}`)).toEqual(['a@10:01', 'b@10:03', 'a@10:05']);
    expect(list[0]).toMatchObject({ connectorName: 'A', schedule: 'every 2 min' });
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [42_000, '0:42'],
    [725_000, '12:05'],
    [4_800_000, '1 h 20 min'],
    [183_600_000, '2 d 3 h'],
    [-5000, '0:00'],
  ])('%i ms reads %s', (ms, text) => expect(formatCountdown(ms)).toBe(text));
});

describe('tileColumns', () => {
  it('grows with the square root of the count, within 1 to 8', () => {
    expect([1, 2, 4, 6, 12, 30, 200].map(tileColumns)).toEqual([1, 2, 2, 3, 3, 5, 8]);
  });
});
