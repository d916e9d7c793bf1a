import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/api/http';
import { httpJsonConfigSchema } from './http-json';
import { answerProblem, pivotCells, recordsOf } from './http-json-records';
import { formatDateTime, render, renderJson } from './http-json-template';

const base = { url: 'https://api.example.com/v1/items', destination: { collection: 'items' } };

describe('placeholders', () => {
  it('fills {{page}} and {{since}} in strings and JSON bodies', () => {
    expect(render('updated >= "{{ since }}" p{{page}}', { since: '2025/01/02 03:04', page: '2' })).toBe('updated >= "2025/01/02 03:04" p2');
    expect(renderJson({ a: ['{{page}}', 3], b: { c: '{{page}}' } }, { page: '7' })).toEqual({ a: ['7', 3], b: { c: '7' } });
    expect(() => render('{{since}}', {})).toThrow(/has no value/);
  });

  it('writes date-times in a pattern and time zone, whatever offset they came with', () => {
    expect(formatDateTime('2025-03-30T01:30:00.000+0000', 'yyyy/MM/dd HH:mm', 'UTC')).toBe('2025/03/30 01:30');
    expect(formatDateTime('2025-03-30T01:30:00.000+0000', 'yyyy/MM/dd HH:mm', 'Europe/Berlin')).toBe('2025/03/30 03:30');
    expect(formatDateTime('2025-01-01T00:00:59+01:00', 'yyyy-MM-dd HH:mm:ss', 'UTC')).toBe('2024-12-31 23:00:59');
    expect(() => formatDateTime('yesterday', 'yyyy', 'UTC')).toThrow(/not a date-time/);
  });

  it.each([
    [{ query: { q: '{{cursor}}' } }, 'query.q', 'uses unknown placeholder {{cursor}} (known: {{page}}, {{since}})'],
    [{ query: { q: '{{page}}' } }, 'query.q', 'uses {{page}}, which needs pagination.type page'],
    [{ query: { q: '{{since}}' } }, 'query.q', 'uses {{since}}, which needs incremental'],
    [{ query: { q: '{{since}}' }, incremental: { field: 'updated' } }, 'incremental.initial', 'is required when {{since}} is used (the value of the first run)'],
    [{ incremental: { field: 'updated' } }, 'incremental.param', 'is required unless a query value, form field or body string uses {{since}}'],
    [{ pagination: { type: 'page', in: 'template' } }, 'pagination.in', 'is template, so a query value, form field or body string must use {{page}}'],
    [{ form: { a: 'b' } }, 'form', 'a form needs method POST'],
    [{ method: 'POST', form: { a: 'b' }, body: {} }, 'form', 'must not be set together with body'],
  ])('rejects %j at %s', (change, path, message) => {
    const parsed = httpJsonConfigSchema.safeParse({ ...base, ...change });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!)).toContainEqual({ path, message });
  });
});

describe('records', () => {
  it('takes records from an object keyed by id, and an empty [] as no records', () => {
    expect(recordsOf({ products: { '5': { id: 5 }, '9': { id: 9 } } }, 'products', 'POST x', 'object').records).toEqual([{ id: 5 }, { id: 9 }]);
    expect(recordsOf({ products: [] }, 'products', 'POST x', 'object').records).toEqual([]);
    expect(() => recordsOf({ products: [{ id: 1 }] }, 'products', 'POST x', 'object')).toThrow(/expected an object of records keyed by id at "products", found an array/);
  });

  it('turns an error status into a classified failure, and says nothing of a good one', () => {
    const status = { path: 'status', ok: 'SUCCESS', messagePath: 'error_message', codePath: 'error_code', authCodes: ['ERROR_BAD_TOKEN'], rateLimitCodes: ['ERROR_BLOCKED_TOKEN'] };
    expect(answerProblem({ status: 'SUCCESS' }, status, 'POST x')).toBeUndefined();
    expect(answerProblem({ status: 'ERROR', error_code: 'ERROR_BAD_TOKEN', error_message: 'Invalid token' }, status, 'POST x')).toMatchObject({ kind: 'auth', message: 'POST x answered status="ERROR" (ERROR_BAD_TOKEN: Invalid token)' });
    expect(answerProblem({ status: 'ERROR', error_code: 'ERROR_BLOCKED_TOKEN' }, status, 'POST x')?.kind).toBe('rate-limited');
    expect(answerProblem({ status: 'ERROR', error_code: 'ERROR_STORAGE' }, status, 'POST x')?.kind).toBe('upstream');
    expect(answerProblem({}, status, 'POST x')?.message).toBe('POST x answered status=nothing');
  });

  it('pivots cells by column title and fails naming the columns when a required one is missing', () => {
    const data = { columns: [{ id: 11, title: 'Job' }, { id: 12, title: 'Approved' }, { id: 13, title: 'v1.2' }], rows: [] };
    const records: Record<string, unknown>[] = [{ id: 1, cells: [{ columnId: 11, value: 'Paint' }, { columnId: 12, value: true }, { columnId: 13 }] }];
    const pivot = { cellsPath: 'cells', keyField: 'columnId', valueField: 'value', columnsPath: 'columns', columnKey: 'id', columnName: 'title', into: 'cells', require: ['Approved'] };
    pivotCells(data, records, pivot, 'GET x');
    expect(records[0]).toEqual({ id: 1, cells: { Job: 'Paint', Approved: true, v1_2: null } });
    expect(() => pivotCells(data, [], { ...pivot, require: ['Status'] }, 'GET x')).toThrow('GET x: no column named "Status"; columns are "Job", "Approved", "v1_2"');
  });
});
