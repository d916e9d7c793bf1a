import { z } from 'zod';
import { KEY_RULE, parseSecretsKey } from './secrets/keys';

/**
 * Syncdeck's configuration, read from the environment exactly once (here) and validated.
 * Every other module receives the parsed {@link Config}; nothing else reads `process.env`.
 */

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be one of true, false, 1, 0, yes, no' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** A 32-byte AES key as base64 or hex (kept as text; lib/secrets decodes it). */
const secretsKey = z
  .string()
  .refine((value) => parseSecretsKey(value) !== null, { error: KEY_RULE });

const mongoUri = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/.+/, { error: 'must be a mongodb:// or mongodb+srv:// connection string' });

/** Instance liveness and socket sign-in rechecks run at least this often, whatever the heartbeat interval. */
export const LIVENESS_MAX_MS = 5000;
/** The demo connector's interval when SYNCDECK_DEMO_EVERY_S is unset (moved into the interval bounds). */
const DEMO_EVERY_DEFAULT_S = 60;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).optional(),
  /** TCP port of the web server (0 picks a free port). */
  PORT: integer(0, 65535).default(3000),
  /** Interface to listen on. Loopback by default; set 0.0.0.0 to serve the LAN (e.g. an ops-room screen). */
  HOST: z.string().min(1, { error: 'must not be empty' }).default('127.0.0.1'),
  /** Public base URL used in links and auth redirects; defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url({ error: 'must be an absolute URL such as https://syncdeck.example.com' }).optional(),
  /** Production MongoDB. When unset, a local mongod or the embedded database is used. */
  MONGODB_URI: mongoUri.optional(),
  /** Database name inside MongoDB. */
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, { error: 'must be 1-63 letters, digits, _ or -' })
    .default('syncdeck'),
  /** Where Syncdeck keeps local state (embedded database, generated secrets). */
  SYNCDECK_DATA_DIR: z.string().min(1, { error: 'must not be empty' }).default('data'),
  /**
   * Directory of module connectors (the user's own .ts/.js files). Default: `connectors` inside
   * SYNCDECK_DATA_DIR. Modules import `syncdeck/connector` and `zod`, which resolve when the directory is inside
   * the Syncdeck installation (as the default is).
   */
  SYNCDECK_CONNECTORS_DIR: z.string().min(1, { error: 'must not be empty' }).optional(),
  /** Secret that signs sessions. Required in production; generated once under the data dir otherwise. */
  AUTH_SECRET: z.string().min(32, { error: 'must be at least 32 characters (try: openssl rand -base64 32)' }).optional(),
  /**
   * Key that encrypts connector secrets at rest (AES-256-GCM): 32 bytes as base64 or hex. Required in production;
   * generated once under the data dir otherwise.
   */
  SECRETS_KEY: secretsKey.optional(),
  /** The key before the current one, during a rotation: values still encrypted with it are re-encrypted on start. */
  SECRETS_KEY_PREVIOUS: secretsKey.optional(),
  /** First administrator, created when the database has no users. */
  ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  ADMIN_PASSWORD: z.string().min(12, { error: 'must be at least 12 characters' }).optional(),
  /**
   * Syncdeck sits behind one reverse proxy that sets X-Forwarded-For: sign-in limits then count the address the
   * proxy saw (the header's last entry) instead of the socket's, which would be the proxy's own.
   */
  TRUST_PROXY: boolean.default(false),
  /** Window of the sign-in limits in seconds: failed attempts older than this no longer count. */
  SIGN_IN_WINDOW_S: integer(1, 86_400).default(900),
  /**
   * Milliseconds between heartbeat events (up to an hour). Instance liveness and the recheck of open sockets' sign-ins
   * do not follow it beyond {@link LIVENESS_MAX_MS}.
   */
  HEARTBEAT_INTERVAL_MS: integer(250, 3_600_000).default(5000),
  /** Milliseconds between scheduler polls of the job collection. */
  SCHEDULER_POLL_MS: integer(100, 60_000).default(2000),
  /**
   * Milliseconds a running run's lease lasts; renewed every sixth of it. A run whose instance died is declared
   * interrupted once its lease has run out, so this bounds how long a dead run looks alive.
   */
  RUN_LEASE_MS: integer(3000, 600_000).default(30_000),
  /** Milliseconds a graceful shutdown waits for running syncs before interrupting them. */
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  /**
   * Demo mode: seed the demo connector (an http-json connector on Syncdeck's own demo source) on first start, and
   * serve the demo source at /api/demo-source/customers. Off: neither is done, and the demo source answers 404.
   */
  SYNCDECK_DEMO: boolean.default(true),
  /**
   * Interval of the seeded demo connector's schedule, in seconds; used when it is seeded. Checked against the interval
   * bounds only with the demo on; unset, 60 s moved into the bounds.
   */
  SYNCDECK_DEMO_EVERY_S: integer(1, 86_400).optional(),
  /** Smallest and largest interval a schedule may have, in seconds. */
  SCHEDULE_INTERVAL_MIN_S: integer(1, 86_400).default(60),
  SCHEDULE_INTERVAL_MAX_S: integer(1, 31 * 86_400).default(86_400),
  /** Run history kept: finished runs older than this many days are deleted… */
  RUNS_RETENTION_DAYS: integer(1, 3650).default(90),
  /** …and at most this many runs per connector. */
  RUNS_RETENTION_PER_CONNECTOR: integer(10, 1_000_000).default(10_000),
  /**
   * Optional sign-in through an OpenID Connect provider, beside email and password. The issuer's discovery document
   * (`<issuer>/.well-known/openid-configuration`) supplies the endpoints. OIDC_ISSUER, OIDC_CLIENT_ID and
   * OIDC_CLIENT_SECRET go together: all three or none.
   */
  OIDC_ISSUER: z.url({ error: 'must be the issuer URL, e.g. https://login.example.com/realms/ops' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1, { error: 'must not be empty' }).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1, { error: 'must not be empty' }).optional(),
  /** The provider's name on the login button ("Sign in with …"). */
  OIDC_NAME: z.string().trim().min(1, { error: 'must not be empty' }).max(40, { error: 'must be at most 40 characters' }).optional(),
  /** Role of users created at their first OIDC sign-in. */
  OIDC_DEFAULT_ROLE: z.enum(['viewer', 'operator', 'admin'], { error: 'must be one of viewer, operator, admin' }).optional(),
  /** Comma-separated emails that become admins at their first OIDC sign-in. */
  OIDC_ADMIN_EMAILS: z
    .string()
    .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email({ error: 'must be a comma-separated list of email addresses' })))
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  production: boolean;
  port: number;
  host: string;
  publicUrl?: string;
  mongodbUri?: string;
  mongodbDb: string;
  dataDir: string;
  /** Directory of module connectors (relative paths are relative to the working directory). */
  connectorsDir: string;
  authSecret?: string;
  /** Encryption of connector secrets: the current key (resolved at start in development) and the previous one. */
  secretsKey?: string;
  secretsKeyPrevious?: string;
  admin?: { email: string; password?: string };
  /** Whether X-Forwarded-For names the client (behind one reverse proxy). */
  trustProxy: boolean;
  /** Window of the sign-in limits, in seconds. */
  signInWindowS: number;
  /** Time between `heartbeat` events. */
  heartbeatIntervalMs: number;
  /**
   * How often an instance records itself alive and rechecks the sign-ins of open sockets: the heartbeat interval, at
   * most {@link LIVENESS_MAX_MS}. An instance counts as alive for three of these after its last record.
   */
  livenessIntervalMs: number;
  schedulerPollMs: number;
  shutdownTimeoutMs: number;
  runLeaseMs: number;
  demo: { enabled: boolean; everySeconds: number };
  intervalBounds: { min: number; max: number };
  retention: { days: number; perConnector: number };
  logLevel: Env['LOG_LEVEL'];
  /** OpenID Connect sign-in, when configured. */
  oidc?: OidcConfig;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Stays on the server: used only by next-auth against the token endpoint. */
  clientSecret: string;
  /** Label of the login button. */
  name: string;
  defaultRole: 'viewer' | 'operator' | 'admin';
  adminEmails: string[];
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
const OIDC_OPTIONAL = ['OIDC_NAME', 'OIDC_DEFAULT_ROLE', 'OIDC_ADMIN_EMAILS'] as const;

/** OIDC is all-or-nothing: a partial setup stops start-up naming what is missing. */
function oidcOf(env: Env): OidcConfig | undefined {
  const set = OIDC_REQUIRED.filter((key) => env[key] !== undefined);
  const extras = OIDC_OPTIONAL.filter((key) => env[key] !== undefined);
  if (set.length === 0 && extras.length === 0) return undefined;
  const missing = OIDC_REQUIRED.filter((key) => env[key] === undefined);
  if (missing.length) {
    const given = [...set, ...extras].join(', ');
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((key) => `  ${key}: is required when ${given} ${set.length + extras.length === 1 ? 'is' : 'are'} set (OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together)`).join('\n')}`,
    );
  }
  return {
    issuer: env.OIDC_ISSUER!.replace(/\/$/, ''),
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    name: env.OIDC_NAME ?? 'single sign-on',
    defaultRole: env.OIDC_DEFAULT_ROLE ?? 'viewer',
    adminEmails: env.OIDC_ADMIN_EMAILS ?? [],
  };
}

/** A configuration problem that must stop start-up; the message says what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and checks the environment; throws {@link ConfigError} naming every bad variable and its rule.
 * `needsAuthSecret: false` is for tools that neither sign sessions nor run connectors (the CLI): they need
 * neither AUTH_SECRET nor SECRETS_KEY in production, unless `needsSecretsKey` says otherwise.
 */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  options: { needsAuthSecret?: boolean; needsSecretsKey?: boolean } = {},
): Config {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = source[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production && !env.AUTH_SECRET && options.needsAuthSecret !== false) {
    throw new ConfigError(
      'Invalid configuration:\n  AUTH_SECRET: is required when NODE_ENV=production (at least 32 characters; try: openssl rand -base64 32)',
    );
  }
  if (production && !env.SECRETS_KEY && (options.needsSecretsKey ?? options.needsAuthSecret) !== false) {
    throw new ConfigError(`Invalid configuration:\n  SECRETS_KEY: is required when NODE_ENV=production (${KEY_RULE})`);
  }
  if (env.SECRETS_KEY_PREVIOUS && !env.SECRETS_KEY) {
    throw new ConfigError('Invalid configuration:\n  SECRETS_KEY: is required when SECRETS_KEY_PREVIOUS is set (set it to the new key)');
  }
  if (env.SCHEDULE_INTERVAL_MIN_S > env.SCHEDULE_INTERVAL_MAX_S) {
    throw new ConfigError('Invalid configuration:\n  SCHEDULE_INTERVAL_MAX_S: must not be smaller than SCHEDULE_INTERVAL_MIN_S');
  }
  const demoEverySeconds = env.SYNCDECK_DEMO_EVERY_S ?? Math.min(Math.max(DEMO_EVERY_DEFAULT_S, env.SCHEDULE_INTERVAL_MIN_S), env.SCHEDULE_INTERVAL_MAX_S);
  if (env.SYNCDECK_DEMO && (demoEverySeconds < env.SCHEDULE_INTERVAL_MIN_S || demoEverySeconds > env.SCHEDULE_INTERVAL_MAX_S)) {
    throw new ConfigError(
      `Invalid configuration:\n  SYNCDECK_DEMO_EVERY_S: must be between SCHEDULE_INTERVAL_MIN_S (${env.SCHEDULE_INTERVAL_MIN_S}) and SCHEDULE_INTERVAL_MAX_S (${env.SCHEDULE_INTERVAL_MAX_S})`,
    );
  }
  if (env.ADMIN_PASSWORD && !env.ADMIN_EMAIL) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_EMAIL: is required when ADMIN_PASSWORD is set');
  }
  return {
    production,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
    mongodbUri: env.MONGODB_URI,
    mongodbDb: env.MONGODB_DB,
    dataDir: env.SYNCDECK_DATA_DIR,
    connectorsDir: env.SYNCDECK_CONNECTORS_DIR ?? `${env.SYNCDECK_DATA_DIR.replace(/\/+$/, '')}/connectors`,
    authSecret: env.AUTH_SECRET,
    secretsKey: env.SECRETS_KEY,
    secretsKeyPrevious: env.SECRETS_KEY_PREVIOUS,
    admin: env.ADMIN_EMAIL ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD } : undefined,
    trustProxy: env.TRUST_PROXY,
    signInWindowS: env.SIGN_IN_WINDOW_S,
    heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
    livenessIntervalMs: Math.min(env.HEARTBEAT_INTERVAL_MS, LIVENESS_MAX_MS),
    schedulerPollMs: env.SCHEDULER_POLL_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    runLeaseMs: env.RUN_LEASE_MS,
    demo: { enabled: env.SYNCDECK_DEMO, everySeconds: demoEverySeconds },
    intervalBounds: { min: env.SCHEDULE_INTERVAL_MIN_S, max: env.SCHEDULE_INTERVAL_MAX_S },
    retention: { days: env.RUNS_RETENTION_DAYS, perConnector: env.RUNS_RETENTION_PER_CONNECTOR },
    logLevel: env.LOG_LEVEL,
    oidc: oidcOf(env),
  };
}

/**
 * The few process-wide variables that libraries read themselves: Next.js wants NODE_ENV to match the build,
 * next-auth wants its base URL. Set once by the server after it knows where it listens.
 */
export function exportLibraryEnv(values: { nodeEnv: 'development' | 'production'; authUrl?: string }): void {
  (process.env as Record<string, string>).NODE_ENV = values.nodeEnv;
  // Syncdeck runs on closed networks; Next.js must not try to phone home.
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  if (values.authUrl) process.env.NEXTAUTH_URL = values.authUrl;
}

/** Variables every program Syncdeck starts (command connectors) gets from the server's environment. */
const CHILD_BASE_VARIABLES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'COMSPEC', 'PATHEXT', 'WINDIR'];

/**
 * The environment a started program inherits: a few basics (PATH, HOME, locale, time zone, temp dir) plus the
 * variables `passNames` names. Never Syncdeck's own configuration (keys, database URI, passwords): a program
 * gets those only through its connector's secrets.
 */
export function childProcessEnv(passNames: readonly string[] = [], source: Record<string, string | undefined> = process.env): Record<string, string> {
  const own = new Set(envVariables);
  const env: Record<string, string> = {};
  for (const name of [...CHILD_BASE_VARIABLES, ...passNames]) {
    const value = source[name];
    if (value !== undefined && !own.has(name)) env[name] = value;
  }
  return env;
}

/** True for a variable of Syncdeck's own configuration, which is never passed to a started program. */
export const isSyncdeckVariable = (name: string) => (envVariables as readonly string[]).includes(name);

/** Names of the environment variables, for the README table and `syncdeck config`. */
export const envVariables = Object.keys(envSchema.shape);
