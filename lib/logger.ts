import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Creates the process logger. Secrets are redacted by key wherever they appear in a logged object.
 * Pretty output is left to the reader (`| npx pino-pretty`); the process writes JSON lines.
 */
export function createLogger(options: { level: string; name?: string; hooks?: LoggerOptions['hooks'] }): Logger {
  return pino({
    name: options.name ?? 'syncdeck',
    level: options.level,
    ...(options.hooks ? { hooks: options.hooks } : {}),
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'secrets', '*.secrets', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie'],
      censor: '[redacted]',
    },
  });
}
