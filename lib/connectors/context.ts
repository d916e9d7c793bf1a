import type { Db } from 'mongodb';
import { HttpClient, type HttpClientOptions } from '@/lib/http/client';
import type { LogLevel, RunCounts } from '@/lib/domain/run';
import type { Keyring } from '@/lib/secrets/keyring';
import { Redactor } from '@/lib/secrets/redact';
import { openCheckpoint } from './checkpoint';
import { createDestination } from './destination';
import { SyncError, type RunContext } from './kind';
import { decryptSecrets, SecretUnavailableError } from './secrets';
import type { ConnectorDoc } from './store';

/** The connector secrets of a run, decrypted, and the redactor that hides them (and their encodings). */
export function openSecrets(connector: Pick<ConnectorDoc, '_id' | 'secrets'>, keyring: Keyring | undefined): { secrets: Record<string, string>; redactor: Redactor } {
  if (!connector.secrets || Object.keys(connector.secrets).length === 0) return { secrets: {}, redactor: new Redactor() };
  if (!keyring) throw new SyncError('config', 'this connector has secrets but the server has no secrets key');
  try {
    const secrets = decryptSecrets(keyring, connector._id, connector.secrets);
    return { secrets, redactor: new Redactor(Object.values(secrets)) };
  } catch (error) {
    if (error instanceof SecretUnavailableError) throw new SyncError('config', error.message);
    throw error;
  }
}

/**
 * Builds what a connector's `run` receives, apart from the lifecycle parts the executor owns (signal, progress,
 * log). `finish` saves the checkpoint set during the run; the executor calls it only when the run succeeded.
 */
export async function createRunContext<Config>({
  db,
  runId,
  connectorId,
  config,
  secrets,
  signal,
  counts,
  log,
  progress,
}: {
  db: Db;
  runId: string;
  connectorId: string;
  config: Config;
  secrets: Record<string, string>;
  signal: AbortSignal;
  counts: RunCounts;
  log: (level: LogLevel, message: string) => void;
  progress: (done: number, total?: number, phase?: string) => void;
}): Promise<{ ctx: RunContext<Config>; finish(): Promise<void> }> {
  const checkpoint = await openCheckpoint({ db, connectorId, runId });
  const ctx: RunContext<Config> = {
    runId,
    connectorId,
    config,
    secrets,
    signal,
    counts,
    db,
    log,
    progress,
    checkpoint,
    http: (options: HttpClientOptions = {}) =>
      new HttpClient({
        signal,
        onRetry: ({ attempt, delayMs, reason }) => log('warn', `${reason}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`),
        ...options,
      }),
    destination: (collection, options) => createDestination({ db, collection, options, counts, log }),
  };
  return { ctx, finish: () => checkpoint.finish() };
}
