import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A secret Syncdeck keeps for itself in development: read from `<dataDir>/<name>`, or generated once and written
 * there (mode 0600) when the file does not exist. Production configures its secrets instead (AUTH_SECRET,
 * SECRETS_KEY). Returns the value and whether it was generated now.
 */
export async function readOrCreateLocalSecret({
  dataDir,
  name,
  generate,
}: {
  dataDir: string;
  name: string;
  generate: () => string;
}): Promise<{ value: string; file: string; generated: boolean }> {
  const file = path.resolve(dataDir, name);
  let exists = false;
  try {
    const value = (await readFile(file, 'utf8')).trim();
    if (value) return { value, file, generated: false };
    exists = true; // empty: replace it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const value = generate();
  // 'wx': never overwrite a file another process created meanwhile; read theirs instead.
  try {
    await writeFile(file, value, { mode: 0o600, flag: exists ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { value: (await readFile(file, 'utf8')).trim(), file, generated: false };
    throw error;
  }
  return { value, file, generated: true };
}
