import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, eventually } from '../support/api';
import { connectDatabase, createToken } from '../support/database';
import { descendantsOf, isAlive, type ProcessId } from '../support/processes';
import { ROOT, startServer, type TestServer } from '../support/server';

/**
 * A command connector's programs do not outlive a server killed with SIGKILL: the program, which ignores SIGTERM,
 * and the program it started are both gone within a few seconds, and neither writes its late side effect.
 */

const LATE_WRITER = path.join(ROOT, 'tests/fixtures/late_writer.py');
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
/** How long the program waits before its side effect: well beyond the 5 s a program may outlive its server. */
const LATE_S = 10;

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-cmd-crash-'));
  server = await startServer();
});

afterAll(async () => {
  await server?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

/** The live processes of a process group, read from /proc (field 5 of stat is the group id). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return members;
}

it('a SIGKILL of the server ends the running program and what it started, before their side effect', async () => {
  const database = await connectDatabase(server);
  const { token } = await createToken(database.db, 'admin');
  await database.close();
  const auth = { token };
  const marker = path.join(scratch, 'side-effect');
  const pidFile = path.join(scratch, 'pids');
  const created = await api(server.url, '/api/connectors', {
    auth,
    body: { id: 'cmd-late', name: 'cmd-late', kind: 'command', config: { command: PYTHON, args: [LATE_WRITER, marker, pidFile, String(LATE_S)] } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await api(server.url, '/api/connectors/cmd-late/run', { method: 'POST', auth })).status).toBe(202);

  const [programPid, childPid] = await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').split(' ').map(Number), { what: 'the program and its child to start' });
  expect(groupMembers(programPid!)).toEqual(expect.arrayContaining([programPid, childPid]));
  const started: ProcessId[] = descendantsOf(server.pid).filter((p) => p.name !== 'embedded-db');

  process.kill(server.pid, 'SIGKILL');

  // Bounded by the 5 s a program may outlive its server; the side effect is due only after LATE_S.
  await eventually(() => groupMembers(programPid!).length === 0, { timeoutMs: 5000, everyMs: 100, what: `process group ${programPid} to be gone` });
  expect(started.filter(isAlive)).toEqual([]);
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(`${marker}.child`)).toBe(false);
});
