import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runsQuery } from '@/app/api/runs/schema';
import { schedulePreviewBody } from '@/app/api/schedules/preview/schema';
import { newConnectorSchema } from '@/lib/connectors/schema';
import { buildOpenApi } from './document';
import { operations } from './registry';

const API_DIR = join(import.meta.dirname, '../../../app/api');
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** Routes that are not part of the JSON API, and why. */
const NOT_DOCUMENTED: Record<string, string> = {
  '/api/auth/[...nextauth]': "next-auth's own sign-in protocol (redirects, HTML forms), described by next-auth",
};

const doc = buildOpenApi('http://127.0.0.1:3000');
type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
type OperationObject = { operationId?: string; responses: Responses };
const paths = doc.paths as Record<string, Record<string, OperationObject>>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}

/** The HTTP methods a route module exports, read from its source: `export const GET`, `export function POST`, `export { get as GET }`. */
function exportedMethods(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
    } else if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) {
      names.push(statement.name.text);
    } else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    }
  }
  return names.filter((name) => HTTP_METHODS.includes(name));
}

/** `app/api/connectors/[id]/run/route.ts` -> `/api/connectors/{id}/run`. */
const routePath = (file: string) => `/api/${relative(API_DIR, file).split(sep).slice(0, -1).join('/')}`.replace(/\/$/, '');
const openApiPath = (route: string) => route.replace(/\[(\w+)\]/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('has every method every route exports, each with an operationId', () => {
    const files = routeFiles(API_DIR);
    expect(files.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const file of files) {
      const route = routePath(file);
      const methods = exportedMethods(file);
      expect(methods.length, route).toBeGreaterThan(0);
      if (NOT_DOCUMENTED[route]) continue;
      for (const method of methods) {
        const operation = paths[openApiPath(route)]?.[method.toLowerCase()];
        if (!operation?.operationId) missing.push(`${method} ${route}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents no operation that no route serves', () => {
    const served = new Set(routeFiles(API_DIR).flatMap((file) => exportedMethods(file).map((m) => `${m.toLowerCase()} ${openApiPath(routePath(file))}`)));
    const documented = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    expect(documented.filter((op) => !served.has(op))).toEqual([]);
  });

  it('gives each operation a unique camelCase operationId', () => {
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId!));
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids).toEqual(expect.arrayContaining(['listConnectors', 'runConnector', 'getRun', 'pauseScheduler', 'previewSchedule']));
  });

  it('describes the body of every success answer but 204, and the one error shape for every error', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.['application/json']?.schema;
          if (status === '204') {
            if (response.content) problems.push(`${method} ${path} ${status} has a body`);
          } else if (!schema) problems.push(`${method} ${path} ${status} has no schema`);
        }
        for (const status of ['400', '405']) if (!op.responses[status]) problems.push(`${method} ${path} lacks the guard's ${status}`);
        if (path !== '/api/health' && !op.responses['401']) problems.push(`${method} ${path} lacks 401`);
        if (['post', 'patch', 'delete'].includes(method) && path !== '/api/demo-source/customers' && !op.responses['415']) problems.push(`${method} ${path} lacks 415`);
      }
    }
    expect(problems).toEqual([]);
    const error = (doc.components?.schemas?.Error ?? {}) as { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } };
    expect(error.properties?.error?.properties?.code?.enum).toEqual(
      expect.arrayContaining(['bad_request', 'unauthorized', 'forbidden', 'cross_origin', 'not_found', 'method_not_allowed', 'conflict', 'unsupported_media_type', 'rate_limited', 'unavailable']),
    );
  });

  it('documents the schemas the handlers validate with, not copies', () => {
    const find = (id: string) => operations.find((op) => op.operationId === id)!;
    expect(find('listRuns').query).toBe(runsQuery);
    expect(find('createConnector').body).toBe(newConnectorSchema);
    expect(find('previewSchedule').body).toBe(schedulePreviewBody);
  });

  it('shows the default interval bounds on everySeconds', () => {
    const schedule = doc.components?.schemas?.Schedule as { oneOf?: Array<{ properties?: Record<string, object> }> };
    const interval = schedule.oneOf?.find((s) => s.properties?.everySeconds);
    expect(interval?.properties?.everySeconds).toMatchObject({ type: 'integer', minimum: 60, maximum: 86_400 });
  });

  it('keeps the security schemes and the role notes', () => {
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(expect.arrayContaining(['session', 'bearer']));
    expect(paths['/api/health']!.get).toMatchObject({ security: [] });
    expect(paths['/api/connectors']!.post).toMatchObject({ description: expect.stringContaining('Requires role: admin') });
    expect(paths['/api/connectors/{id}/run']!.post!.responses['202']).toMatchObject({ headers: { Location: expect.anything() } });
  });
});
