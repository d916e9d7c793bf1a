import type { Runtime } from '@/lib/runtime';

export interface ProcessMetrics {
  instanceId: string;
  uptimeS: number;
  /** Bytes, from `process.memoryUsage()`. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** Whether a full garbage collection ran just before measuring (only when asked and Node runs with --expose-gc). */
  collected: boolean;
}

/**
 * This instance's memory and uptime, for administrators watching a long-running server (and for benchmarks that
 * measure memory per connection). `collect` first runs a full garbage collection when Node exposes one.
 */
export function getProcessMetrics(runtime: Pick<Runtime, 'instanceId' | 'startedAt'>, collect: boolean): ProcessMetrics {
  const gc = (globalThis as { gc?: () => void }).gc;
  const collected = collect && typeof gc === 'function';
  if (collected) gc!();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return {
    instanceId: runtime.instanceId,
    uptimeS: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    memory: { rss, heapTotal, heapUsed, external, arrayBuffers },
    collected,
  };
}
