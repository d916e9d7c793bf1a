import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { RateLimiterAttemptLog } from './attempt-log-store';

/** The store's arithmetic only: no database is reached (the collection is never used here). */
const limiter = (points: number) => new RateLimiterAttemptLog({ db: { collection: () => ({}) } as unknown as Db, collection: 'x', keyPrefix: 't', points, duration: 60 });
const inS = (s: number) => new Date(Date.now() + s * 1000);
const attempts = (...expiresInS: number[]) => expiresInS.map((s) => ({ key: 'k', points: 1, expire: inS(s) }));

describe('RateLimiterAttemptLog results', () => {
  it('sums the live attempts', () => {
    const res = limiter(5)._getRateLimiterRes('k', 1, attempts(10, 20, 30));
    expect(res.consumedPoints).toBe(3);
    expect(res.remainingPoints).toBe(2);
    expect(res.isFirstInDuration).toBe(false);
  });

  it('when full, waits until enough attempts expire for one more to fit', () => {
    // 7 attempts with a limit of 5: three must expire, the third of them after 30 s.
    const res = limiter(5)._getRateLimiterRes('k', 1, attempts(50, 10, 30, 20, 60, 70, 80));
    expect(res.consumedPoints).toBe(7);
    expect(Math.round(res.msBeforeNext / 1000)).toBe(30);
  });

  it('counts a reward (negative points) against the attempts', () => {
    const res = limiter(2)._getRateLimiterRes('k', -1, [...attempts(10, 20), { key: 'k', points: -1, expire: inS(30) }]);
    expect(res.consumedPoints).toBe(1);
    expect(res.remainingPoints).toBe(1);
  });

  it('marks the first attempt of a window', () => {
    expect(limiter(5)._getRateLimiterRes('k', 1, attempts(60)).isFirstInDuration).toBe(true);
  });
});
