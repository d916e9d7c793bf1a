import { describe, expect, it } from 'vitest';
import { LineSplitter, levelOf, parseProtocolLine } from './command-protocol';

describe('parseProtocolLine', () => {
  it.each([
    ['{"syncdeck":"progress","done":10,"total":100,"phase":"tickets"}', { syncdeck: 'progress', done: 10, total: 100, phase: 'tickets' }],
    ['{"syncdeck":"counts","created":1,"updated":2}', { syncdeck: 'counts', created: 1, updated: 2 }],
    ['{"syncdeck":"counts","fetched":5,"add":true}', { syncdeck: 'counts', fetched: 5, add: true }],
    ['{"syncdeck":"log","level":"warn","message":"slow API"}', { syncdeck: 'log', level: 'warn', message: 'slow API' }],
    ['{"syncdeck":"log","message":"defaults to info"}', { syncdeck: 'log', level: 'info', message: 'defaults to info' }],
    ['  {"syncdeck":"checkpoint","value":{"since":"2025-01-01"}}  ', { syncdeck: 'checkpoint', value: { since: '2025-01-01' } }],
    ['{"syncdeck":"checkpoint","value":0,"commit":true}', { syncdeck: 'checkpoint', value: 0, commit: true }],
    ['{"syncdeck":"error","kind":"auth","message":"token expired"}', { syncdeck: 'error', kind: 'auth', message: 'token expired' }],
  ])('reads %s', (line, message) => {
    expect(parseProtocolLine(line)).toEqual({ type: 'message', message });
  });

  it.each(['plain output', '{"other":"json"}', '{"syncdeck": not json', '[1,2,3]', ''])('treats %j as text', (line) => {
    expect(parseProtocolLine(line)).toEqual({ type: 'text', line });
  });

  it.each([
    ['{"syncdeck":"progress"}', 'done'],
    ['{"syncdeck":"progress","done":-1}', 'done'],
    ['{"syncdeck":"counts","created":1.5}', 'created'],
    ['{"syncdeck":"log","level":"loud","message":"x"}', 'level'],
    ['{"syncdeck":"checkpoint"}', 'value'],
    ['{"syncdeck":"error","kind":"cosmic-rays","message":"x"}', 'kind'],
    ['{"syncdeck":"teleport"}', 'syncdeck'],
  ])('reports %s as an invalid protocol line naming %s', (line, field) => {
    const parsed = parseProtocolLine(line);
    expect(parsed.type).toBe('invalid');
    expect(parsed.type === 'invalid' && parsed.reason).toContain(field);
  });
});

describe('levelOf', () => {
  it('takes the level a logger wrote, else the stream default', () => {
    expect(levelOf('2025-08-03 09:05:00 - scheduler - ERROR - boom', 'info')).toBe('error');
    expect(levelOf('WARNING:root:slow', 'info')).toBe('warn');
    expect(levelOf('INFO:scheduler:started', 'warn')).toBe('info');
    expect(levelOf('DEBUG details', 'info')).toBe('debug');
    expect(levelOf('Traceback (most recent call last):', 'warn')).toBe('error');
    expect(levelOf('just text', 'warn')).toBe('warn');
  });
});

describe('LineSplitter', () => {
  const collect = (max?: number) => {
    const lines: Array<[string, boolean]> = [];
    const splitter = new LineSplitter((line, truncated) => lines.push([line, truncated]), max);
    return { lines, splitter };
  };

  it('joins chunks and splits on \\n and \\r\\n', () => {
    const { lines, splitter } = collect();
    splitter.push('first li');
    splitter.push('ne\r\nsecond\nthi');
    splitter.push('rd');
    splitter.end();
    expect(lines).toEqual([
      ['first line', false],
      ['second', false],
      ['third', false],
    ]);
  });

  it('cuts a line that never ends and drops its rest', () => {
    const { lines, splitter } = collect(10);
    splitter.push('x'.repeat(25));
    splitter.push('yyy\nnext\n');
    splitter.end();
    expect(lines).toEqual([
      ['x'.repeat(10), true],
      ['next', false],
    ]);
  });
});
