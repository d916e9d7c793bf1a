/**
 * `npm test`: makes sure the prerequisites exist, runs all three test layers with Vitest, and ends with one line
 * `N passed, N failed` (the last thing it prints). Extra arguments go to Vitest, e.g.
 * `npm test -- tests/integration/api.test.ts` or `npm test -- --project unit`.
 *
 * Prerequisites, each done only when needed:
 * 1. a production build of the web app (`next build`) when `.next/BUILD_ID` is missing or older than a source file;
 * 2. the embedded database helper binary (`go build`, only when its sources changed);
 * 3. Chromium at /usr/bin/chromium for the browser tests (apt-get when running as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../lib/logger';
import { ensureEmbeddedDbBinary } from '../server/embedded-db';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'test-results');
const REPORT = path.join(RESULTS, 'vitest.json');
const CHROMIUM = '/usr/bin/chromium';
/** What the web app is built from. Test files are not (they live beside the code in lib/). */
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'next.config.js', 'postcss.config.js', 'tsconfig.json', 'package-lock.json'];

function say(message: string): void {
  process.stdout.write(`[test] ${message}\n`);
}

/** Newest modification time of the files under `entry`, ignoring test files. */
function newestSourceMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestSourceMtime(path.join(entry, name))), 0);
}

function buildIsStale(): string | null {
  const buildId = path.join(ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return 'there is no production build';
  const built = statSync(buildId).mtimeMs;
  const changed = BUILD_INPUTS.find((input) => newestSourceMtime(path.join(ROOT, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs a command with its output shown as it comes, and also returned. */
function runCapturing(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Builds the web app when it is stale. When someone else's `next build` holds the lock, waits for it and checks again. */
async function ensureBuild(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const why = buildIsStale();
    if (!why) return;
    say(`building the web app (next build): ${why}`);
    const { code, output } = await runCapturing(path.join(ROOT, 'node_modules', '.bin', 'next'), ['build'], {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    });
    if (code === 0) return;
    if (!/Another next build process is already running/.test(output) || attempt >= 60) {
      throw new Error(`next build failed (exit code ${code})`);
    }
    say('another next build is running in this directory; waiting for it to finish');
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    say('Chromium is missing: running apt-get update && apt-get install -y chromium');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if ((await run('apt-get', ['update'], env)) === 0 && (await run('apt-get', ['install', '-y', 'chromium'], env)) === 0 && existsSync(CHROMIUM)) {
      return;
    }
  }
  throw new Error(`Chromium is missing at ${CHROMIUM}: run \`sudo apt-get install -y chromium\` (Debian/Ubuntu) then re-run npm test`);
}

interface JsonReport {
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: Array<{ name: string; status: string; message?: string; assertionResults?: Array<{ status?: string }> }>;
}

/**
 * Passed and failed counts from Vitest's JSON report. A file that failed without a failed test of its own (it did
 * not load, or a beforeAll/afterAll hook failed and its tests were skipped) counts as one more failure.
 */
function countResults(): { passed: number; failed: number } {
  if (!existsSync(REPORT)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as JsonReport;
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  );
  for (const file of brokenFiles) say(`failed outside its tests: ${path.relative(ROOT, file.name)}${file.message ? ` (${file.message.split('\n')[0]})` : ''}`);
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + brokenFiles.length };
}

async function main(): Promise<number> {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  rmSync(REPORT, { force: true });
  try {
    await ensureChromium();
    await ensureEmbeddedDbBinary(createLogger({ level: 'warn' }));
    await ensureBuild();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  }
  say(`prerequisites ready in ${Math.round((Date.now() - started) / 1000)} s`);

  const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const code = await run(process.execPath, [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${REPORT}`,
    ...process.argv.slice(2),
  ]);
  const { passed, failed } = countResults();
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s (vitest exit code ${code})`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || code !== 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
