import { z } from 'zod';

/**
 * The optional JSON-lines protocol of the command kind: a line of the program's stdout that is a JSON object with
 * a `syncdeck` field is a message, not log output.
 *
 *   {"syncdeck":"progress","done":10,"total":100,"phase":"tickets"}
 *   {"syncdeck":"counts","created":1,"updated":2}        counts so far ("add":true adds instead)
 *   {"syncdeck":"log","level":"warn","message":"…"}
 *   {"syncdeck":"checkpoint","value":{…}}               saved if the run succeeds ("commit":true saves now)
 *   {"syncdeck":"error","kind":"auth","message":"…"}    the run's error if the program exits non-zero (the last one counts)
 */

const count = z.number().int().min(0);
const countFields = { fetched: count, created: count, updated: count, unchanged: count, skipped: count, failed: count };

export const protocolMessageSchema = z.discriminatedUnion('syncdeck', [
  z.object({ syncdeck: z.literal('progress'), done: z.number().min(0), total: z.number().min(0).optional(), phase: z.string().max(200).optional() }),
  z.object({ syncdeck: z.literal('counts'), ...z.object(countFields).partial().shape, add: z.boolean().optional() }),
  z.object({ syncdeck: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']).default('info'), message: z.string() }),
  z.object({ syncdeck: z.literal('checkpoint'), value: z.unknown(), commit: z.boolean().optional() }).refine((m) => m.value !== undefined, { error: 'needs a value' }),
  z.object({
    syncdeck: z.literal('error'),
    kind: z.enum(['auth', 'rate-limited', 'network', 'timeout', 'upstream', 'bad-data', 'config', 'internal']),
    message: z.string(),
  }),
]);
export type ProtocolMessage = z.output<typeof protocolMessageSchema>;

export type ParsedLine = { type: 'text'; line: string } | { type: 'message'; message: ProtocolMessage } | { type: 'invalid'; line: string; reason: string };

/** Reads one stdout line: plain text, a protocol message, or a protocol line that breaks the rules. */
export function parseProtocolLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"syncdeck"')) return { type: 'text', line };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { type: 'text', line };
  }
  if (value === null || typeof value !== 'object' || !('syncdeck' in value)) return { type: 'text', line };
  const parsed = protocolMessageSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
    return { type: 'invalid', line, reason };
  }
  return { type: 'message', message: parsed.data };
}

/** The log level a plain output line suggests (Python logging, most loggers), else the stream's default. */
export function levelOf(line: string, fallback: 'info' | 'warn'): 'debug' | 'info' | 'warn' | 'error' {
  if (/\b(CRITICAL|FATAL|ERROR)\b|^Traceback \(most recent call last\)/.test(line)) return 'error';
  if (/\bWARN(ING)?\b/.test(line)) return 'warn';
  if (/\bDEBUG\b/.test(line)) return 'debug';
  if (/\bINFO\b/.test(line)) return 'info';
  return fallback;
}

/**
 * Splits a byte stream into lines (\n or \r\n). A line longer than `maxLength` is cut there and the rest of it
 * dropped, so a program that never prints a newline cannot grow memory without bound.
 */
export class LineSplitter {
  #buffer = '';
  #dropping = false;
  constructor(
    private readonly onLine: (line: string, truncated: boolean) => void,
    private readonly maxLength = 16_384,
  ) {}

  push(chunk: string): void {
    let text = chunk;
    for (;;) {
      const newline = text.indexOf('\n');
      if (newline < 0) break;
      this.#emit(this.#buffer + text.slice(0, newline));
      this.#buffer = '';
      this.#dropping = false;
      text = text.slice(newline + 1);
    }
    if (this.#dropping) return;
    this.#buffer += text;
    if (this.#buffer.length > this.maxLength) {
      this.onLine(this.#buffer.slice(0, this.maxLength), true);
      this.#buffer = '';
      this.#dropping = true;
    }
  }

  /** Emits what is left after the stream ended. */
  end(): void {
    if (this.#buffer && !this.#dropping) this.#emit(this.#buffer);
    this.#buffer = '';
  }

  #emit(line: string) {
    if (this.#dropping) return;
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean.length > this.maxLength) this.onLine(clean.slice(0, this.maxLength), true);
    else this.onLine(clean, false);
  }
}
