import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyCounts } from '@/lib/domain/run';
import { type SyncProgressEvent } from '@/lib/realtime/events';
import { OverviewProgressThrottle } from './overview-throttle';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const progress = (runId: string, done: number): SyncProgressEvent => ({
  runId,
  connectorId: 'crm',
  done,
  total: 100,
  counts: { ...emptyCounts(), fetched: done },
  at: new Date().toISOString(),
});

describe('overview progress throttle', () => {
  let sent: SyncProgressEvent[];
  let throttle: OverviewProgressThrottle;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    sent = [];
    throttle = new OverviewProgressThrottle({ everyMs: 1000, send: (event) => sent.push(event) });
  });
  afterEach(() => {
    throttle.close();
    vi.useRealTimers();
  });

  it('lets the first progress of a run through, holds the rest of the second and then sends the newest, stamped then', async () => {
    expect(throttle.offer(progress('r1', 10))).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(throttle.offer(progress('r1', 20))).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(throttle.offer(progress('r1', 30))).toBe(false);
    await vi.advanceTimersByTimeAsync(599);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ ...progress('r1', 30), at: '2026-11-23T10:00:01.000Z' }]);
    // The next second has begun with that send: a progress now is held again.
    await vi.advanceTimersByTimeAsync(100);
    expect(throttle.offer(progress('r1', 40))).toBe(false);
    await vi.advanceTimersByTimeAsync(900);
    expect(sent.map((e) => e.done)).toEqual([30, 40]);
  });

  it('lets a progress through at once when the run was quiet for the whole interval', async () => {
    expect(throttle.offer(progress('r1', 10))).toBe(true);
    await vi.advanceTimersByTimeAsync(1500);
    expect(throttle.offer(progress('r1', 20))).toBe(true);
    expect(sent).toEqual([]);
  });

  it('keeps runs apart', async () => {
    expect(throttle.offer(progress('r1', 10))).toBe(true);
    expect(throttle.offer(progress('r2', 10))).toBe(true);
    expect(throttle.offer(progress('r1', 20))).toBe(false);
    expect(throttle.offer(progress('r3', 5))).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((e) => `${e.runId}:${e.done}`)).toEqual(['r1:20']);
  });

  it('sends what it holds when the run finishes, before the finish, and nothing after', async () => {
    throttle.offer(progress('r1', 10));
    throttle.offer(progress('r1', 100));
    throttle.finished('r1');
    expect(sent.map((e) => e.done)).toEqual([100]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
    // A run finished and forgotten starts afresh (an id is never reused, but nothing breaks if it were).
    expect(throttle.offer(progress('r1', 1))).toBe(true);
  });

  it('sends nothing after it is closed', async () => {
    throttle.offer(progress('r1', 10));
    throttle.offer(progress('r1', 20));
    throttle.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
  });
});
