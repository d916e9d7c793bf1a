import { MongoClient, type Db } from 'mongodb';
import { createToken as createApiToken, revokeToken as revokeApiToken } from '@/lib/auth/tokens';
import type { Role, UserRole } from '@/lib/auth/roles';
import { createUser as createDbUser } from '@/lib/users/users';
import { findDatabaseUri, type TestServer } from './server';

/**
 * Direct access to a test server's database, for arranging what the API cannot create yet (users, tokens).
 * The URI comes from `<dataDir>/database.json`, which the server writes when it starts a local database.
 */
export interface TestDatabase {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectDatabase(server: Pick<TestServer, 'dataDir' | 'pid' | 'mongoUri'>): Promise<TestDatabase> {
  const uri = server.mongoUri ?? findDatabaseUri(server.dataDir, server.pid);
  if (!uri) throw new Error(`cannot find the database of the server on ${server.dataDir} (no database.json, no helper port)`);
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 10_000, appName: 'syncdeck-tests', maxPoolSize: 2 });
  await client.connect();
  return { client, db: client.db('syncdeck'), close: () => client.close() };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** Creates a user with a role and returns its credentials. */
export async function createUser(db: Db, role: UserRole, password = 'test-user-password-0001'): Promise<{ email: string; password: string }> {
  const email = `${unique(role)}@syncdeck.test`;
  await createDbUser({ db, input: { email, role, password } });
  return { email, password };
}

/** Creates an API token with a role and returns it in clear text with its id. */
export async function createToken(db: Db, role: Role, name = unique(`${role}-token`)): Promise<{ token: string; id: string; name: string }> {
  const { token, record } = await createApiToken({ db, input: { name, role }, createdBy: 'tests' });
  return { token, id: record.id, name };
}

export async function revokeToken(db: Db, id: string): Promise<void> {
  if (!(await revokeApiToken({ db, id, revokedBy: 'tests' }))) throw new Error(`token ${id} was not revoked`);
}
