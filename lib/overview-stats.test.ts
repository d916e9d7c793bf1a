import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '@/lib/domain/run';
import { percentile } from '@/lib/runs/stats';
import { connectorFigures, FinishedRunsCache, hourlyBuckets, successRate, type FinishedRun } from './overview-stats';

const run = (connectorId: string, status: RunStatus, at: string, durationMs: number | null = 1000): FinishedRun => ({ connectorId, status, at: new Date(at), durationMs });

describe('successRate', () => {
  it('counts succeeded among succeeded and failed runs; interrupted counts as failed', () => {
    expect(successRate(['succeeded', 'succeeded', 'failed', 'interrupted'])).toEqual({ decided: 4, succeeded: 2, rate: 0.5 });
  });

  it('leaves cancelled and skipped runs out of the rate', () => {
    expect(successRate(['succeeded', 'cancelled', 'skipped', 'skipped'])).toEqual({ decided: 1, succeeded: 1, rate: 1 });
  });

  it('is null when no run succeeded or failed', () => {
    expect(successRate([])).toEqual({ decided: 0, succeeded: 0, rate: null });
    expect(successRate(['cancelled', 'skipped']).rate).toBeNull();
  });
});

describe('percentile', () => {
  it('picks the nearest rank', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(100);
    expect(percentile(sorted, 0)).toBe(10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('hourlyBuckets', () => {
  const now = new Date('2025-03-30T10:25:00Z');

  it('answers every hour of the range, oldest first, ending with the hour holding now', () => {
    const buckets = hourlyBuckets([], now, 24);
    expect(buckets).toHaveLength(24);
    expect(buckets[0]!.hour).toBe('2025-03-29T11:00:00.000Z');
    expect(buckets.at(-1)!.hour).toBe('2025-03-30T10:00:00.000Z');
    expect(buckets.every((b) => b.succeeded === 0 && b.failed === 0 && b.other === 0)).toBe(true);
  });

  it('counts each run in the hour it ended, by outcome', () => {
    const buckets = hourlyBuckets(
      [
        run('a', 'succeeded', '2025-03-30T10:00:00Z'),
        run('b', 'succeeded', '2025-03-30T10:24:59Z'),
        run('a', 'failed', '2025-03-30T09:59:59.999Z'),
        run('a', 'interrupted', '2025-03-30T09:00:00Z'),
        run('c', 'cancelled', '2025-03-30T08:30:00Z'),
        run('c', 'skipped', '2025-03-30T08:31:00Z'),
      ],
      now,
      3,
    );
    expect(buckets).toEqual([
      { hour: '2025-03-30T08:00:00.000Z', succeeded: 0, failed: 0, other: 2 },
      { hour: '2025-03-30T09:00:00.000Z', succeeded: 0, failed: 2, other: 0 },
      { hour: '2025-03-30T10:00:00.000Z', succeeded: 2, failed: 0, other: 0 },
    ]);
  });

  it('drops runs before the first hour and after now', () => {
    const buckets = hourlyBuckets([run('a', 'succeeded', '2025-03-30T07:59:59Z'), run('a', 'succeeded', '2025-03-30T11:00:00Z')], now, 3);
    expect(buckets.reduce((sum, b) => sum + b.succeeded, 0)).toBe(0);
  });
});

describe('connectorFigures', () => {
  it('gives each connector its rate, p50/p95 and latest durations oldest first', () => {
    const runs = [
      run('a', 'succeeded', '2025-03-30T10:03:00Z', 300),
      run('a', 'failed', '2025-03-30T10:01:00Z', 100),
      run('a', 'succeeded', '2025-03-30T10:02:00Z', 200),
      run('a', 'skipped', '2025-03-30T10:04:00Z', 0),
      run('b', 'cancelled', '2025-03-30T10:00:00Z', 50),
    ];
    const figures = connectorFigures(runs, 2);
    const a = figures.find((f) => f.connectorId === 'a')!;
    expect(a).toMatchObject({ decided: 3, succeeded: 2, p50Ms: 200, p95Ms: 300 });
    expect(a.successRate).toBeCloseTo(2 / 3);
    // Skipped runs did no work: not in the sparkline, not in the durations.
    expect(a.recent).toEqual([
      { at: '2025-03-30T10:02:00.000Z', status: 'succeeded', durationMs: 200 },
      { at: '2025-03-30T10:03:00.000Z', status: 'succeeded', durationMs: 300 },
    ]);
    const b = figures.find((f) => f.connectorId === 'b')!;
    expect(b).toMatchObject({ decided: 0, successRate: null, p50Ms: 50, recent: [{ status: 'cancelled', durationMs: 50 }] });
  });

  it('leaves runs without a duration out of durations but in the rate', () => {
    const [a] = connectorFigures([run('a', 'interrupted', '2025-03-30T10:00:00Z', null), run('a', 'succeeded', '2025-03-30T10:01:00Z', 40)], 20);
    expect(a).toMatchObject({ decided: 2, successRate: 0.5, p50Ms: 40, p95Ms: 40 });
    expect(a!.recent).toHaveLength(1);
  });
});

describe('FinishedRunsCache', () => {
  /** A database whose run history answers `docs` after `gate` opens. */
  function historyOf(docs: Array<Record<string, unknown>>, gate: Promise<void> = Promise.resolve()) {
    let reads = 0;
    const db = {
      collection: () => ({
        find: () => ({ sort: () => ({ limit: () => ({ toArray: async () => (reads++, await gate, docs) }) }) }),
      }),
    } as unknown as Db;
    return { db, reads: () => reads };
  }
  const doc = (id: string, finishedAt: string) => ({ _id: id, connectorId: 'c', status: 'succeeded', queuedAt: new Date(finishedAt), finishedAt: new Date(finishedAt), durationMs: 10 });
  const now = new Date('2026-11-23T12:00:00Z');

  it('reads the history once, then adds finishes as they come, oldest first', async () => {
    const history = historyOf([doc('b', '2026-11-23T11:00:00Z'), doc('a', '2026-11-23T10:00:00Z')]);
    const cache = new FinishedRunsCache(history.db);
    expect((await cache.snapshot(now)).runs.map((r) => r.id)).toEqual(['a', 'b']);
    cache.add({ ...run('c', 'failed', '2026-11-23T11:30:00Z'), id: 'c' });
    const { runs, truncated } = await cache.snapshot(now);
    expect(runs.map((r) => [r.id, r.status])).toEqual([['a', 'succeeded'], ['b', 'succeeded'], ['c', 'failed']]);
    expect(truncated).toBe(false);
    expect(history.reads()).toBe(1);
  });

  it('counts a run finishing during the read once, whether the read saw it or not', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const cache = new FinishedRunsCache(historyOf([doc('seen', '2026-11-23T11:00:00Z')], gate).db);
    cache.warm();
    cache.add({ ...run('c', 'succeeded', '2026-11-23T11:00:00Z'), id: 'seen' });
    cache.add({ ...run('c', 'succeeded', '2026-11-23T11:59:00Z'), id: 'unseen' });
    open();
    expect((await cache.snapshot(now)).runs.map((r) => r.id)).toEqual(['seen', 'unseen']);
  });
});
