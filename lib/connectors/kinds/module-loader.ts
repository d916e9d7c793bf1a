import { realpathSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleConnector } from '../define';
import { SyncError } from '../kind';

/**
 * Finds, imports and checks module connectors: the user's own files in the connectors directory. A module is
 * imported again when its file changed (the import URL carries its modification time and size, so Node's module
 * cache does not answer with the old one); files it imports itself are not re-imported. The cache lives on the
 * process-wide global, so the copy of this module that Next bundles for route handlers (which validates
 * configurations) sees what the server loaded.
 */

/** File extensions a module connector may have. */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** The rule a configured module path follows. */
export const MODULE_PATH_RULE = 'must be a path inside the connectors directory such as shop-sync.ts (no .., not absolute)';

interface Loaded {
  /** Modification time and size of the file this entry was loaded from. */
  version: string;
  connector?: ModuleConnector<unknown, unknown>;
  error?: string;
}

const KEY = Symbol.for('syncdeck.moduleConnectors');
type Global = typeof globalThis & { [KEY]?: Map<string, Loaded> };
const cache = (): Map<string, Loaded> => ((globalThis as Global)[KEY] ??= new Map());

/** Why a configured module path is not acceptable on its face, or null. */
export function modulePathProblem(file: string): string | null {
  if (file.includes('\0') || file.includes('\\')) return MODULE_PATH_RULE;
  if (path.posix.isAbsolute(file) || path.isAbsolute(file) || /^[A-Za-z]:/.test(file)) return MODULE_PATH_RULE;
  const parts = file.split('/');
  if (parts.some((part) => part === '..' || part === '.' || part === '' || part.startsWith('.'))) return MODULE_PATH_RULE;
  if (!MODULE_EXTENSIONS.includes(path.extname(file))) return `must end with ${MODULE_EXTENSIONS.join(', ')}`;
  return null;
}

const versionOf = (info: { mtimeMs: number; size: number }) => `${Math.round(info.mtimeMs)}-${info.size}`;

/** True when a real path is inside the real directory (so a symbolic link cannot lead out of it). */
const isInside = (realDir: string, real: string) => real.startsWith(realDir + path.sep);
const OUTSIDE = 'resolves outside the connectors directory (symbolic link?)';

/** Synchronous check for configuration validation: the file exists, inside the directory. Returns a problem or null. */
export function moduleFileProblem(dir: string, file: string): string | null {
  const problem = modulePathProblem(file);
  if (problem) return problem;
  try {
    const realDir = realpathSync(dir);
    const real = realpathSync(path.join(dir, file));
    if (!isInside(realDir, real)) return OUTSIDE;
    if (!statSync(real).isFile()) return 'is not a file';
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no such file in the connectors directory ${dir}` : `cannot be read (${code ?? (error as Error).message})`;
  }
}

/** What the last load of a module found, if it was loaded from the file as it is now. */
export function cachedModule(dir: string, file: string): Loaded | undefined {
  try {
    const entry = cache().get(path.join(dir, file));
    return entry && entry.version === versionOf(statSync(realpathSync(path.join(dir, file)))) ? entry : undefined;
  } catch {
    return undefined;
  }
}

const isSchema = (value: unknown) => value !== null && typeof value === 'object' && typeof (value as { safeParse?: unknown }).safeParse === 'function';

/** The connector a module exports, or the reason it is not one. */
export function connectorOfModule(exports: Record<string, unknown>): { connector?: ModuleConnector<unknown, unknown>; error?: string } {
  const candidate = exports.default ?? exports.connector;
  if (candidate === undefined) {
    const names = Object.keys(exports);
    return { error: `does not export a connector: expected "export default defineConnector({ … })" (or an export named connector); it exports ${names.length ? names.join(', ') : 'nothing'}` };
  }
  if (candidate === null || typeof candidate !== 'object') return { error: `its default export is ${candidate === null ? 'null' : typeof candidate}, not a connector object` };
  const c = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.run !== 'function') problems.push(`run must be a function (found ${c.run === undefined ? 'nothing' : typeof c.run})`);
  if (c.configSchema !== undefined && !isSchema(c.configSchema)) problems.push('configSchema must be a zod schema');
  if (c.secretsSchema !== undefined && !isSchema(c.secretsSchema)) problems.push('secretsSchema must be a zod schema');
  for (const field of ['title', 'description'] as const) if (c[field] !== undefined && typeof c[field] !== 'string') problems.push(`${field} must be a string`);
  return problems.length ? { error: `does not export a valid connector: ${problems.join('; ')}` } : { connector: candidate as ModuleConnector<unknown, unknown> };
}

/**
 * Imports a module connector (again, if its file changed since the last load) and checks its export. Throws a
 * config error naming the file and what is wrong.
 */
export async function loadModuleConnector(dir: string, file: string): Promise<ModuleConnector<unknown, unknown>> {
  const problem = modulePathProblem(file);
  if (problem) throw new SyncError('config', `config.module "${file}": ${problem}`);
  let real: string;
  let version: string;
  try {
    const realDir = await realpath(dir);
    real = await realpath(path.join(dir, file));
    if (!isInside(realDir, real)) throw new SyncError('config', `${file}: ${OUTSIDE}`);
    const info = await stat(real);
    if (!info.isFile()) throw new SyncError('config', `${file}: is not a file`);
    version = versionOf(info);
  } catch (error) {
    if (error instanceof SyncError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SyncError('config', code === 'ENOENT' ? `${file}: no such file in the connectors directory ${dir}` : `${file}: cannot be read (${code ?? (error as Error).message})`);
  }
  const key = path.join(dir, file);
  let entry = cache().get(key);
  if (!entry || entry.version !== version) {
    const url = `${pathToFileURL(real).href}?v=${version}`;
    try {
      const exports = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as Record<string, unknown>;
      entry = { version, ...connectorOfModule(exports) };
    } catch (error) {
      entry = { version, error: `cannot be loaded: ${(error as Error)?.message ?? String(error)}` };
    }
    cache().set(key, entry);
  }
  if (!entry.connector) throw new SyncError('config', `${file}: ${entry.error}`);
  return entry.connector;
}

/** Module files in the directory (and its subdirectories), as paths relative to it; hidden and node_modules skipped. */
async function moduleFiles(dir: string, prefix = '', depth = 0): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && depth < 4) files.push(...(await moduleFiles(dir, rel, depth + 1)));
    else if (MODULE_EXTENSIONS.includes(path.extname(entry.name)) && !/\.(test|d)\.[mc]?[jt]s$/.test(entry.name)) files.push(rel);
  }
  return files.sort();
}

/** Loads every module of the directory (at start); reports each outcome. A missing directory loads nothing. */
export async function loadAllModuleConnectors(dir: string): Promise<Array<{ file: string; error?: string }>> {
  let files: string[];
  try {
    files = await moduleFiles(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const outcomes: Array<{ file: string; error?: string }> = [];
  for (const file of files) {
    try {
      await loadModuleConnector(dir, file);
      outcomes.push({ file });
    } catch (error) {
      outcomes.push({ file, error: (error as Error).message });
    }
  }
  return outcomes;
}
