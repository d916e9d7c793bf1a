import { describe, expect, it } from 'vitest';
import type { RunStatus } from '@/lib/domain/run';
import { summarizeActivity, windowStart } from './activity';

const now = new Date('2026-03-05T14:20:00Z');
const run = (connectorId: string, status: RunStatus, at: string, durationMs?: number) => ({ connectorId, status, queuedAt: new Date(at), startedAt: new Date(at), durationMs });

describe('summarizeActivity', () => {
  it('has every hour of the window, oldest first, the current hour last', () => {
    const result = summarizeActivity([], { now, hours: 24 });
    expect(result.hourly).toHaveLength(24);
    expect(result.hourly[0]!.hour).toBe('2026-03-04T15:00:00.000Z');
    expect(result.hourly.at(-1)!.hour).toBe('2026-03-05T14:00:00.000Z');
    expect(windowStart(now, 1).toISOString()).toBe('2026-03-05T14:00:00.000Z');
  });

  it('counts outcomes per hour and ignores runs outside the window', () => {
    const result = summarizeActivity(
      [
        run('a', 'succeeded', '2026-03-05T14:05:00Z', 100),
        run('a', 'failed', '2026-03-05T14:10:00Z', 300),
        run('b', 'interrupted', '2026-03-05T13:59:59Z', 50),
        run('b', 'skipped', '2026-03-05T13:00:00Z'),
        run('b', 'cancelled', '2026-03-05T13:30:00Z', 10),
        run('a', 'succeeded', '2026-03-04T14:59:59Z', 999),
      ],
      { now, hours: 24 },
    );
    expect(result.runsConsidered).toBe(5);
    expect(result.hourly.at(-1)).toMatchObject({ succeeded: 1, failed: 1, other: 0 });
    expect(result.hourly.at(-2)).toMatchObject({ succeeded: 0, failed: 1, other: 2 });
    expect(result.byConnector).toEqual([
      { connectorId: 'a', runs: 2, failed: 1, p50Ms: 100, p95Ms: 300 },
      { connectorId: 'b', runs: 3, failed: 1, p50Ms: 10, p95Ms: 50 },
    ]);
  });
});
