import { describe, expect, it } from 'vitest';
import { newRunDoc, parseCursor, slotRunId, toRun } from './store';

describe('parseCursor', () => {
  it('decodes a cursor from a previous page into its time and run id', () => {
    expect(parseCursor('2025-06-01T12:00:00.000Z~demo:manual:665f1c')).toEqual({
      at: new Date('2025-06-01T12:00:00.000Z'),
      id: 'demo:manual:665f1c',
    });
  });

  it('keeps run ids that contain colons and ISO times intact', () => {
    const id = slotRunId('demo', 'every-minute', new Date('2025-06-01T11:59:00.000Z'));
    expect(parseCursor(`2025-06-01T12:00:00.000Z~${id}`)).toEqual({ at: new Date('2025-06-01T12:00:00.000Z'), id });
  });

  it('accepts a plain ISO date-time without an id', () => {
    expect(parseCursor('2025-06-01T12:00:00Z')).toEqual({ at: new Date('2025-06-01T12:00:00Z'), id: undefined });
  });

  it('treats an empty id as no id', () => {
    expect(parseCursor('2025-06-01T12:00:00.000Z~')).toEqual({ at: new Date('2025-06-01T12:00:00.000Z'), id: undefined });
  });

  it.each([['garbage'], [''], ['~run-id'], ['not-a-date~run-id']])('answers null for %j', (cursor) => {
    expect(parseCursor(cursor)).toBeNull();
  });

  it('round-trips the cursor listRuns hands out', () => {
    const run = newRunDoc({ _id: 'c:manual:1', connectorId: 'c', trigger: 'manual', initiatedBy: 'a@b.c', status: 'queued' });
    const cursor = `${run.queuedAt.toISOString()}~${run._id}`;
    expect(parseCursor(cursor)).toEqual({ at: run.queuedAt, id: run._id });
  });
});

describe('run documents', () => {
  it('slot run ids are deterministic per connector, schedule and slot', () => {
    const slot = new Date('2025-06-01T12:00:00.000Z');
    expect(slotRunId('demo', 'hourly', slot)).toBe('demo:hourly:2025-06-01T12:00:00.000Z');
    expect(slotRunId('demo', 'hourly', new Date(slot))).toBe(slotRunId('demo', 'hourly', slot));
  });

  it('new runs start with fresh zero counts and an empty log', () => {
    const a = newRunDoc({ _id: 'a', connectorId: 'c', trigger: 'manual', initiatedBy: 'x', status: 'queued' });
    const b = newRunDoc({ _id: 'b', connectorId: 'c', trigger: 'manual', initiatedBy: 'x', status: 'queued' });
    expect(a.counts).toEqual({ fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(a.log).toEqual([]);
    a.counts.fetched = 5;
    expect(b.counts.fetched).toBe(0);
  });

  it('toRun shows the log only on the detail view, with ISO times', () => {
    const doc = {
      ...newRunDoc({ _id: 'r', connectorId: 'c', trigger: 'manual', initiatedBy: 'x', status: 'succeeded' }),
      log: [{ at: new Date('2025-06-01T12:00:00.000Z'), level: 'info' as const, message: 'hello' }],
    };
    expect(toRun(doc)).not.toHaveProperty('log');
    expect(toRun(doc, true).log).toEqual([{ at: '2025-06-01T12:00:00.000Z', level: 'info', message: 'hello' }]);
    expect(toRun(doc).id).toBe('r');
  });
});
