/**
 * Delay before retry number `retry` (1 for the first): exponential from `baseMs`, capped at `maxMs`, with equal
 * jitter (half fixed, half random) so many clients do not retry in lockstep.
 */
export function backoffMs(retry: number, { baseMs, maxMs, random = Math.random }: { baseMs: number; maxMs: number; random?: () => number }): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A `Retry-After` header in milliseconds from `now`: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
