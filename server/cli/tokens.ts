import type { Db } from 'mongodb';
import { z } from 'zod';
import { DomainError } from '@/lib/domain/errors';
import type { CliActor } from '@/lib/audit/actor';
import { issueToken, withdrawToken } from '@/lib/auth/manage-tokens';
import { ensureTokenIndexes, listTokens, newTokenSchema } from '@/lib/auth/tokens';
import { formatJson, formatTokens, parseOptions } from './format';
import { CliError, type CliIO } from './io';

const tokenIdSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{24}$/i, { error: 'must be a 24-character hexadecimal token id (see: npx syncdeck tokens list)' }),
});

/** Validates `tokens create` options with {@link newTokenSchema}; throws a usage error naming every bad field. */
export function parseTokenCreate(options: { name?: string; role?: string }) {
  return parseOptions(newTokenSchema, { name: options.name, role: options.role });
}

/** Validates the id given to `tokens revoke`. */
export function parseTokenId(id: string): string {
  return parseOptions(tokenIdSchema, { id }).id.toLowerCase();
}

export async function createTokenCommand(db: Db, io: CliIO, actor: CliActor, input: ReturnType<typeof parseTokenCreate>, json = false): Promise<void> {
  await ensureTokenIndexes(db);
  const { token, record } = await issueToken({ db, actor, input });
  if (json) {
    io.out(formatJson({ ...record, token }));
    return;
  }
  io.out(
    `Created ${record.role} token "${record.name}" (id: ${record.id}).\n\n` +
      `  ${token}\n\n` +
      `Copy it now: it cannot be shown again (only its hash is stored). Send it as: Authorization: Bearer <token>\n`,
  );
}

export async function listTokensCommand(db: Db, io: CliIO, json = false): Promise<void> {
  const tokens = await listTokens({ db });
  io.out(json ? formatJson(tokens) : formatTokens(tokens));
}

export async function revokeTokenCommand(db: Db, io: CliIO, actor: CliActor, id: string): Promise<void> {
  try {
    await withdrawToken({ db, actor, id });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new CliError(`No active token with id ${id}: it does not exist or is already revoked. See: npx syncdeck tokens list`);
  }
  io.out(`Token ${id} is revoked; requests that send it are refused from now on.\n`);
}
