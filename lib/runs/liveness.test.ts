import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isDeadOnThisHost, parseInstanceId } from './liveness';

const host = os.hostname();

describe('isDeadOnThisHost', () => {
  it('parses instance ids whose hostname has dashes', () => {
    expect(parseInstanceId('ops-box-1-4242-0a1b2c3d')).toEqual({ host: 'ops-box-1', pid: 4242 });
    expect(parseInstanceId('dead-instance')).toBeNull();
  });

  it('knows a process of this host that exited, and leaves live ones, itself and other hosts alone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(isDeadOnThisHost(`${host}-${child.pid}-0a1b2c3d`, 'me')).toBe(true);
    expect(isDeadOnThisHost(`${host}-${process.ppid}-0a1b2c3d`, 'me')).toBe(false);
    expect(isDeadOnThisHost(`${host}-${process.pid}-0a1b2c3d`, `${host}-${process.pid}-0a1b2c3d`)).toBe(false);
    expect(isDeadOnThisHost(`${host}-${process.pid}-0a1b2c3d`, `${host}-${process.pid}-ffffffff`)).toBe(true);
    expect(isDeadOnThisHost(`another-host-${child.pid}-0a1b2c3d`, 'me')).toBe(false);
  });
});
