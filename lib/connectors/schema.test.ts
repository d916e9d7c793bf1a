import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldErrors } from '@/lib/api/http';
import { connectorIdSchema, connectorPatchSchema, connectorSchemasFor, newConnectorSchema, policiesSchema } from './schema';

const valid = {
  id: 'helpdesk-tickets',
  name: 'Helpdesk tickets',
  kind: 'demo',
  config: { records: 60, pageSize: 10, pageDelayMs: 0, failureRate: 0 },
  schedules: [
    { id: 'hourly', type: 'interval', everySeconds: 3600 },
    { id: 'morning', type: 'cron', cron: '0 6 * * *', timezone: 'America/New_York' },
  ],
};

/** Field errors the way the API reports them (`{ path, message }` with dotted paths). */
function fieldsOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  expect(parsed.success, 'expected the input to be rejected').toBe(false);
  return fieldErrors(parsed.error!);
}

describe('newConnectorSchema', () => {
  it('accepts a valid connector and fills the defaults', () => {
    const parsed = newConnectorSchema.parse(valid);
    expect(parsed).toMatchObject({
      id: 'helpdesk-tickets',
      description: '',
      enabled: true,
      policies: { overlap: 'skip', minGapSeconds: 0, timeoutSeconds: 3600 },
    });
    // The kind's own defaults are applied to the config.
    expect(parsed.config).toMatchObject({ records: 60, pageSize: 10, pageDelayMs: 0, failureRate: 0, churn: 0.05 });
    expect(parsed.schedules).toHaveLength(2);
    expect(parsed.schedules[0]).toMatchObject({ enabled: true });
  });

  it('fills a missing config from the kind defaults', () => {
    const { config: _config, ...withoutConfig } = valid;
    expect(newConnectorSchema.parse(withoutConfig).config).toMatchObject({ records: 400, pageSize: 50 });
  });

  it('rejects an unknown kind on the kind field, listing the kinds', () => {
    expect(fieldsOf(newConnectorSchema, { ...valid, kind: 'salesforce' })).toEqual([{ path: 'kind', message: 'must be one of demo, http-json, command, module, jira-issues, freshservice-tickets, snipeit-hardware, smartsheet-rows, baselinker-products' }]);
  });

  it.each([
    [{ pageSize: 0 }, 'config.pageSize', 'must be at least 1'],
    [{ pageSize: 5000 }, 'config.pageSize', 'must be at most 1000'],
    [{ records: 1.5 }, 'config.records', ''],
    [{ failureRate: 2 }, 'config.failureRate', 'must be between 0 and 1'],
    [{ pageDelayMs: 'slow' }, 'config.pageDelayMs', ''],
  ])('reports a bad config %j under %s', (config, path, rule) => {
    const fields = fieldsOf(newConnectorSchema, { ...valid, config: { ...valid.config, ...config } });
    expect(fields).toEqual([{ path, message: expect.stringContaining(rule) }]);
  });

  it('rejects unknown config fields of the kind', () => {
    const fields = fieldsOf(newConnectorSchema, { ...valid, config: { ...valid.config, pagesize: 10 } });
    expect(fields).toEqual([{ path: 'config.pagesize', message: 'is not a known field' }]);
  });

  it('rejects duplicate schedule ids on the second one', () => {
    const schedules = [valid.schedules[0], { id: 'hourly', type: 'cron', cron: '0 * * * *' }];
    expect(fieldsOf(newConnectorSchema, { ...valid, schedules })).toEqual([
      { path: 'schedules.1.id', message: 'must be unique (hourly is used twice)' },
    ]);
  });

  it('checks intervals against the bounds it is built with, in one answer with the other fields', () => {
    const { create, patch } = connectorSchemasFor({ min: 300, max: 86_400 });
    const schedules = [{ id: 'fast', type: 'interval', everySeconds: 120 }];
    expect(fieldsOf(create, { ...valid, name: '', schedules })).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'schedules.0.everySeconds', message: 'must be at least 300 seconds' },
    ]);
    expect(fieldsOf(patch, { schedules })).toEqual([{ path: 'schedules.0.everySeconds', message: 'must be at least 300 seconds' }]);
    expect(newConnectorSchema.safeParse({ ...valid, schedules }).success).toBe(true);
    expect(connectorSchemasFor().create).toBe(newConnectorSchema);
    expect(connectorSchemasFor({ min: 60, max: 86_400 }).patch).toBe(connectorPatchSchema);
  });

  it('reports bad schedules with their index', () => {
    const schedules = [
      { id: 'a', type: 'interval', everySeconds: 5 },
      { id: 'b', type: 'cron', cron: '0 6 * * *', timezone: 'Europe/Atlantis' },
      { id: 'c', type: 'cron', cron: '99 * * * *' },
    ];
    const paths = fieldsOf(newConnectorSchema, { ...valid, schedules }).map((f) => f.path);
    expect(paths).toEqual(['schedules.0.everySeconds', 'schedules.1.timezone', 'schedules.2.cron']);
  });

  it('rejects unknown top-level fields, naming them', () => {
    const fields = fieldsOf(newConnectorSchema, { ...valid, owner: 'ops' });
    expect(fields).toEqual([{ path: 'owner', message: 'is not a known field' }]);
  });

  it('rejects unknown schedule and policy fields', () => {
    const schedule = fieldsOf(newConnectorSchema, { ...valid, schedules: [{ id: 'a', type: 'interval', everySeconds: 60, jitter: 1 }] });
    expect(schedule).toEqual([{ path: 'schedules.0.jitter', message: 'is not a known field' }]);
    const policy = fieldsOf(newConnectorSchema, { ...valid, policies: { retries: 3 } });
    expect(policy).toEqual([{ path: 'policies.retries', message: 'is not a known field' }]);
  });

  it.each([
    [{ id: 'Helpdesk' }, 'id'],
    [{ id: '-leading-dash' }, 'id'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ policies: { overlap: 'sometimes' } }, 'policies.overlap'],
    [{ policies: { timeoutSeconds: 0 } }, 'policies.timeoutSeconds'],
  ])('rejects %j on %s', (change, path) => {
    expect(fieldsOf(newConnectorSchema, { ...valid, ...change }).map((f) => f.path)).toContain(path);
  });

  it('allows at most 20 schedules', () => {
    const schedules = Array.from({ length: 21 }, (_, i) => ({ id: `s${i}`, type: 'interval', everySeconds: 60 }));
    expect(fieldsOf(newConnectorSchema, { ...valid, schedules })).toEqual([{ path: 'schedules', message: 'must have at most 20 schedules' }]);
  });
});

describe('secrets on create', () => {
  const http = {
    id: 'tickets',
    name: 'Tickets',
    kind: 'http-json',
    config: { url: 'https://helpdesk.example.com/api/tickets', auth: { type: 'bearer' }, destination: { collection: 'tickets' } },
  };

  it('accepts the secrets a kind declares and keeps their values for the store to encrypt', () => {
    expect(newConnectorSchema.parse({ ...http, secrets: { token: 'tok-123' } }).secrets).toEqual({ token: 'tok-123' });
  });

  it('requires the secret the configuration needs, saying why', () => {
    expect(fieldsOf(newConnectorSchema, http)).toEqual([{ path: 'secrets.token', message: 'is required: config.auth.type is bearer' }]);
  });

  it('rejects a secret the kind does not know, naming it but never its value', () => {
    const fields = fieldsOf(newConnectorSchema, { ...http, secrets: { token: 't0k', pasword: 'hunter2-value' } });
    expect(fields).toHaveLength(1);
    expect(fields[0]!.path).toBe('secrets');
    expect(fields[0]!.message).toContain('pasword');
    expect(JSON.stringify(fields)).not.toContain('hunter2-value');
  });

  it.each([
    [{ token: '' }, 'secrets.token', 'must not be empty'],
    [{ token: 42 }, 'secrets.token', 'must be a string'],
    [{ 'bad name': 'x' }, 'secrets.bad name', ''],
  ])('rejects %j under %s', (secrets, path, rule) => {
    const fields = fieldsOf(newConnectorSchema, { ...http, secrets });
    expect(fields.map((f) => f.path)).toContain(path);
    expect(fields.find((f) => f.path === path)!.message).toContain(rule);
  });

  it('command connectors require the secrets their secretEnv maps', () => {
    const command = { id: 'script', name: 'Script', kind: 'command', config: { command: '/usr/bin/python3', secretEnv: { DB_PASSWORD: 'db' } } };
    expect(fieldsOf(newConnectorSchema, command)).toEqual([{ path: 'secrets.db', message: 'is required: config.secretEnv.DB_PASSWORD refers to it' }]);
    expect(newConnectorSchema.parse({ ...command, secrets: { db: 's3cret' } }).config).toMatchObject({ args: [], protocol: true, killGraceSeconds: 3 });
  });
});

describe('connectorPatchSchema', () => {
  it('accepts secrets to set and null to remove, and checkpoint: null', () => {
    expect(connectorPatchSchema.parse({ secrets: { token: 'new', old: null }, checkpoint: null })).toEqual({ secrets: { token: 'new', old: null }, checkpoint: null });
    expect(fieldsOf(connectorPatchSchema, { checkpoint: {} })[0]!.path).toBe('checkpoint');
  });

  it('accepts a partial change', () => {
    expect(connectorPatchSchema.parse({ enabled: false })).toEqual({ enabled: false });
  });

  it('requires at least one field', () => {
    expect(fieldsOf(connectorPatchSchema, {})).toEqual([{ path: '(body)', message: 'must change at least one field' }]);
  });

  it('refuses to change id or kind', () => {
    expect(fieldsOf(connectorPatchSchema, { id: 'other', name: 'x' })).toEqual([{ path: 'id', message: 'is not a known field' }]);
    expect(fieldsOf(connectorPatchSchema, { kind: 'demo', name: 'x' })).toEqual([{ path: 'kind', message: 'is not a known field' }]);
  });

  it('validates schedules the same way as on create', () => {
    const schedules = [
      { id: 'a', type: 'interval', everySeconds: 60 },
      { id: 'a', type: 'interval', everySeconds: 120 },
    ];
    expect(fieldsOf(connectorPatchSchema, { schedules })).toEqual([{ path: 'schedules.1.id', message: 'must be unique (a is used twice)' }]);
  });
});

describe('small schemas', () => {
  it('connector ids are lowercase slugs of at most 63 characters', () => {
    expect(connectorIdSchema.safeParse('a'.repeat(63)).success).toBe(true);
    expect(connectorIdSchema.safeParse('a'.repeat(64)).success).toBe(false);
    expect(connectorIdSchema.safeParse('has space').success).toBe(false);
  });

  it('policies have defaults', () => {
    expect(policiesSchema.parse({})).toMatchObject({ overlap: 'skip', minGapSeconds: 0, timeoutSeconds: 3600, rerunInterrupted: true });
  });
});
