import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

const SECRET = 'x'.repeat(32);

/** The message of the ConfigError that `source` produces; fails the test when it loads. */
function problemOf(source: Record<string, string>): string {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe('loadConfig', () => {
  it('has defaults for everything when the environment is empty', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      host: '127.0.0.1',
      mongodbDb: 'syncdeck',
      dataDir: 'data',
      heartbeatIntervalMs: 5000,
      schedulerPollMs: 2000,
      shutdownTimeoutMs: 10_000,
      demo: { enabled: true, everySeconds: 60 },
      logLevel: 'info',
    });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.authSecret).toBeUndefined();
    expect(config.admin).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
  });

  it('reads and converts the variables it knows', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://syncdeck.example.com/',
      MONGODB_URI: 'mongodb://db.example.com:27017',
      SYNCDECK_DEMO: 'no',
      ADMIN_EMAIL: 'Ops@Example.com',
      ADMIN_PASSWORD: 'correct horse battery',
      HEARTBEAT_INTERVAL_MS: '1000',
    });
    expect(config.port).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('https://syncdeck.example.com');
    expect(config.mongodbUri).toBe('mongodb://db.example.com:27017');
    expect(config.demo.enabled).toBe(false);
    expect(config.admin).toEqual({ email: 'ops@example.com', password: 'correct horse battery' });
    expect(config.heartbeatIntervalMs).toBe(1000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', 'must be a whole number'],
    [{ PORT: '70000' }, 'PORT', 'must be at most 65535'],
    [{ PORT: '1.5' }, 'PORT', 'must be a whole number'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI', 'must be a mongodb:// or mongodb+srv:// connection string'],
    [{ MONGODB_DB: 'my db' }, 'MONGODB_DB', 'must be 1-63 letters, digits, _ or -'],
    [{ PUBLIC_URL: 'syncdeck.local' }, 'PUBLIC_URL', 'must be an absolute URL'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET', 'must be at least 32 characters'],
    [{ ADMIN_EMAIL: 'not-an-email' }, 'ADMIN_EMAIL', 'must be an email address'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', 'must be at least 12 characters'],
    [{ HEARTBEAT_INTERVAL_MS: '10' }, 'HEARTBEAT_INTERVAL_MS', 'must be at least 250'],
    [{ SCHEDULER_POLL_MS: '99' }, 'SCHEDULER_POLL_MS', 'must be at least 100'],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, 'SHUTDOWN_TIMEOUT_MS', 'must be at least 0'],
    [{ SYNCDECK_DEMO: 'maybe' }, 'SYNCDECK_DEMO', 'must be one of true, false, 1, 0, yes, no'],
    [{ SYNCDECK_DEMO_EVERY_S: '30' }, 'SYNCDECK_DEMO_EVERY_S', 'must be between SCHEDULE_INTERVAL_MIN_S (60)'],
    [{ SCHEDULE_INTERVAL_MIN_S: '120', SYNCDECK_DEMO_EVERY_S: '60' }, 'SYNCDECK_DEMO_EVERY_S', 'must be between SCHEDULE_INTERVAL_MIN_S (120)'],
    [{ HEARTBEAT_INTERVAL_MS: '3600001' }, 'HEARTBEAT_INTERVAL_MS', 'must be at most 3600000'],
    [{ SYNCDECK_DEMO_EVERY_S: '0' }, 'SYNCDECK_DEMO_EVERY_S', 'must be'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', 'must be development, production or test'],
  ])('rejects %j naming %s and the rule', (source, variable, rule) => {
    const message = problemOf(source);
    expect(message).toContain(`${variable}: ${rule}`);
  });

  it('the demo interval follows the interval bounds when unset, and is checked against them only with the demo on', () => {
    expect(loadConfig({ SCHEDULE_INTERVAL_MIN_S: '300' }).demo).toEqual({ enabled: true, everySeconds: 300 });
    expect(loadConfig({ SCHEDULE_INTERVAL_MIN_S: '10', SCHEDULE_INTERVAL_MAX_S: '30' }).demo.everySeconds).toBe(30);
    expect(loadConfig({ SCHEDULE_INTERVAL_MIN_S: '300', SYNCDECK_DEMO: 'false' }).intervalBounds).toEqual({ min: 300, max: 86_400 });
    expect(loadConfig({ SCHEDULE_INTERVAL_MIN_S: '300', SYNCDECK_DEMO: 'false', SYNCDECK_DEMO_EVERY_S: '60' }).demo.enabled).toBe(false);
    expect(loadConfig({ SCHEDULE_INTERVAL_MIN_S: '300', SYNCDECK_DEMO_EVERY_S: '600' }).demo.everySeconds).toBe(600);
  });

  it('takes a heartbeat of up to an hour, while liveness and socket rechecks stay at 5 s at most', () => {
    expect(loadConfig({ HEARTBEAT_INTERVAL_MS: '600000' })).toMatchObject({ heartbeatIntervalMs: 600_000, livenessIntervalMs: 5000 });
    expect(loadConfig({ HEARTBEAT_INTERVAL_MS: '3600000' }).heartbeatIntervalMs).toBe(3_600_000);
    expect(loadConfig({ HEARTBEAT_INTERVAL_MS: '1000' })).toMatchObject({ heartbeatIntervalMs: 1000, livenessIntervalMs: 1000 });
    expect(loadConfig({}).livenessIntervalMs).toBe(5000);
  });

  it('names every bad variable at once', () => {
    const message = problemOf({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/LOG_LEVEL: /);
  });

  it('requires AUTH_SECRET when NODE_ENV=production', () => {
    expect(problemOf({ NODE_ENV: 'production' })).toContain('AUTH_SECRET: is required when NODE_ENV=production');
    // SECRETS_KEY (32 bytes, base64) is production's other required secret.
    const config = loadConfig({ NODE_ENV: 'production', AUTH_SECRET: SECRET, SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(config.production).toBe(true);
    expect(config.authSecret).toBe(SECRET);
  });

  it('does not require AUTH_SECRET outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).authSecret).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
  });

  it('requires ADMIN_EMAIL when ADMIN_PASSWORD is set', () => {
    expect(problemOf({ ADMIN_PASSWORD: 'long enough password' })).toContain('ADMIN_EMAIL: is required when ADMIN_PASSWORD is set');
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ SOMETHING_ELSE: 'whatever', PATH: '/usr/bin' })).not.toThrow();
  });
});

describe('OIDC configuration', () => {
  const full = { OIDC_ISSUER: 'https://login.example.com/realms/ops/', OIDC_CLIENT_ID: 'syncdeck', OIDC_CLIENT_SECRET: 'not-a-real-secret' };

  it('is off when no OIDC variable is set', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('with issuer, client id and secret: on, with defaults for the rest', () => {
    expect(loadConfig(full).oidc).toEqual({
      issuer: 'https://login.example.com/realms/ops',
      clientId: 'syncdeck',
      clientSecret: 'not-a-real-secret',
      name: 'single sign-on',
      defaultRole: 'viewer',
      adminEmails: [],
    });
  });

  it('reads the label, the default role and the admin emails', () => {
    const oidc = loadConfig({ ...full, OIDC_NAME: 'Keycloak', OIDC_DEFAULT_ROLE: 'operator', OIDC_ADMIN_EMAILS: ' Boss@Example.com, ops@example.com ,' }).oidc;
    expect(oidc).toMatchObject({ name: 'Keycloak', defaultRole: 'operator', adminEmails: ['boss@example.com', 'ops@example.com'] });
  });

  it.each(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const)('a partial setup without %s stops start-up naming it', (missing) => {
    const { [missing]: _gone, ...rest } = full;
    const message = problemOf(rest);
    expect(message).toMatch(new RegExp(`^  ${missing}: is required`, 'm'));
    for (const other of Object.keys(rest)) expect(message).not.toMatch(new RegExp(`^  ${other}:`, 'm'));
  });

  it('an optional OIDC variable alone names all three required ones', () => {
    const message = problemOf({ OIDC_NAME: 'Okta' });
    for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) expect(message).toMatch(new RegExp(`^  ${key}: is required when OIDC_NAME is set`, 'm'));
  });

  it.each([
    ['OIDC_ISSUER', 'not a url', /OIDC_ISSUER: must be the issuer URL/],
    ['OIDC_DEFAULT_ROLE', 'display', /OIDC_DEFAULT_ROLE: must be one of viewer, operator, admin/],
    ['OIDC_ADMIN_EMAILS', 'ops@example.com, nobody', /OIDC_ADMIN_EMAILS\.1: must be a comma-separated list of email addresses/],
  ])('rejects a bad %s', (key, value, rule) => {
    expect(problemOf({ ...full, [key]: value })).toMatch(rule);
  });
});
