import pino from 'pino';
import type { Logger } from '@/lib/logger';

/**
 * The CLI's logger: one short human line per message on stderr (`syncdeck: <message>`), so stdout carries only
 * command output. Only the message and an error's message are printed, never the logged objects, so nothing logged
 * as context (which may hold secrets) reaches the terminal.
 */
export function createCliLogger(options: { level: 'warn' | 'info' | 'debug'; write: (text: string) => void }): Logger {
  return pino(
    { level: options.level, base: undefined, timestamp: false },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        options.write(`syncdeck: ${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}\n`);
      },
    },
  );
}
