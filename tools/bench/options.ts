/**
 * Command-line option helpers shared by the benchmarks.
 */

/** A bad option, named with the rule it breaks: the benchmark could not run. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole-number option within bounds, or its fallback when not given. */
export function wholeNumberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name}: must be a whole number from ${min} to ${max} (got ${raw})`);
  return value;
}
