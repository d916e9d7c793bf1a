import { Writable } from 'node:stream';
import { MongoNetworkError, MongoOperationTimeoutError, MongoServerSelectionError, MongoServerError } from 'mongodb';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DatabaseErrorGate, describeProblem, problemOf } from './db-health';

function gatedLogger() {
  const gate = new DatabaseErrorGate();
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  const logger = pino({ level: 'info', hooks: { logMethod: gate.hook } }, stream);
  return { gate, logger, lines };
}

/** What the driver throws when nothing listens at the address (its topology details do not matter here). */
const unreachable = () => new MongoServerSelectionError('connect ECONNREFUSED /tmp/x.sock', {} as never);

describe('DatabaseErrorGate', () => {
  it('lets everything through while open', () => {
    const { logger, lines } = gatedLogger();
    logger.error({ err: new MongoNetworkError('connect ECONNREFUSED') }, 'scheduler error');
    expect(lines.map((l) => l.msg)).toEqual(['scheduler error']);
  });

  it('while closed, holds back warnings and errors caused by connectivity only, and counts them by message', () => {
    const { gate, logger, lines } = gatedLogger();
    gate.set(true);
    for (let i = 0; i < 3; i++) logger.error({ err: unreachable() }, 'scheduler error');
    logger.warn({ err: new Error('wrapped', { cause: new MongoNetworkError('socket closed') }) }, 'lease renewal failed');
    logger.warn(new MongoNetworkError('socket closed'));
    // Not connectivity: a real answer from the database, a plain bug, an info line.
    logger.error({ err: new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }) }, 'claim failed');
    logger.error({ err: new TypeError('x is undefined') }, 'request handler failed');
    logger.info({ err: new MongoNetworkError('socket closed') }, 'retrying');
    expect(lines.map((l) => l.msg)).toEqual(['claim failed', 'request handler failed', 'retrying']);

    expect(gate.set(false)).toEqual({ 'scheduler error': 3, 'lease renewal failed': 1, 'socket closed': 1 });
    expect(gate.set(false)).toBeUndefined();
    logger.error({ err: unreachable() }, 'scheduler error');
    expect(lines.at(-1)?.msg).toBe('scheduler error');
  });
});

describe('describeProblem', () => {
  it('says what is wrong in fixed words, without addresses', () => {
    for (const problem of ['timeout', 'unreachable', 'restarting', 'failed', 'error'] as const) {
      expect(describeProblem(problem)).not.toMatch(/\/|mongodb:|\d+\.\d+\.\d+/);
    }
    expect(describeProblem('timeout')).toBe('no answer within 2 s');
  });
});

describe('problemOf', () => {
  it('tells a database that is not there from one that does not answer', () => {
    expect(problemOf(unreachable())).toBe('unreachable');
    expect(problemOf(new MongoNetworkError('x', { cause: new Error('connect ENOENT /tmp/x.sock') }))).toBe('unreachable');
    expect(problemOf(new MongoServerSelectionError('Server selection timed out after 2000 ms', {} as never))).toBe('timeout');
    expect(problemOf(new MongoOperationTimeoutError('Timed out during socket read (2000ms)'))).toBe('timeout');
    expect(problemOf(new MongoServerError({ message: 'not authorized', code: 13 }))).toBe('error');
  });
});
