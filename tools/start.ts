/**
 * `npm start`: builds what is missing or stale — the web app (next build) and the embedded database helper
 * (go build) — in parallel, then starts the Syncdeck server in this process.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../lib/env';
import { createLogger } from '../lib/logger';
import { ensureEmbeddedDbBinary } from '../server/embedded-db';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'next.config.js', 'postcss.config.js', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** True when there is no production build or a source file changed after it. */
export function buildIsStale(root = ROOT): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
}

export function nextBuild(root = ROOT): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stderr.write('Building the web app (next build)…\n');
    const child = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['build'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit code ${code})`))));
  });
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Syncdeck cannot start.\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const started = Date.now();
  await Promise.all([
    buildIsStale() ? nextBuild() : Promise.resolve(),
    // Only needed without MONGODB_URI; a failure here is reported by the server with the ways to fix it.
    config.mongodbUri ? Promise.resolve() : ensureEmbeddedDbBinary(logger).catch(() => undefined),
  ]);
  if (Date.now() - started > 1000) process.stderr.write(`Build finished in ${Math.round((Date.now() - started) / 1000)} s.\n`);
  await import('../server/main');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`Syncdeck failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
