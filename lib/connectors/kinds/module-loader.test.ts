import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorOfModule, modulePathProblem } from './module-loader';

describe('module paths', () => {
  it.each(['shop.ts', 'acme/orders.mts', 'feed.js', 'x/y/z.mjs'])('accepts %s', (file) => expect(modulePathProblem(file)).toBeNull());

  it.each(['../shop.ts', 'a/../../shop.ts', '/etc/shop.ts', 'C:/shop.ts', 'a\\shop.ts', './shop.ts', '.hidden.ts', 'a//b.ts', 'shop.ts\0.js'])('refuses %j', (file) =>
    expect(modulePathProblem(file)).toBe('must be a path inside the connectors directory such as shop-sync.ts (no .., not absolute)'),
  );

  it('names the extensions it accepts', () => expect(modulePathProblem('shop.py')).toBe('must end with .ts, .mts, .js, .mjs'));
});

describe('module exports', () => {
  const run = async () => undefined;

  it('takes the default export, or one named connector', () => {
    expect(connectorOfModule({ default: { run, configSchema: z.object({}) } }).connector).toBeDefined();
    expect(connectorOfModule({ connector: { run } }).connector).toBeDefined();
  });

  it('says what is wrong with anything else', () => {
    expect(connectorOfModule({ helper: run }).error).toBe('does not export a connector: expected "export default defineConnector({ … })" (or an export named connector); it exports helper');
    expect(connectorOfModule({ default: run }).error).toBe('its default export is function, not a connector object');
    expect(connectorOfModule({ default: { run: 1, secretsSchema: {}, title: 3 } }).error).toBe(
      'does not export a valid connector: run must be a function (found number); secretsSchema must be a zod schema; title must be a string',
    );
  });
});
