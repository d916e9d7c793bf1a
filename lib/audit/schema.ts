import { z } from 'zod';
import type { AuditTargetType } from './audit';

export const auditTargetTypes = ['connector', 'run', 'scheduler', 'user', 'token'] as const satisfies readonly AuditTargetType[];

/** `GET /api/audit` filters and the page cursor. */
export const auditQuerySchema = z.strictObject({
  targetType: z.enum(auditTargetTypes, { error: `must be one of ${auditTargetTypes.join(', ')}` }).optional(),
  targetId: z.string().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  actor: z.string().min(1, { error: 'must not be empty' }).max(320, { error: 'must be at most 320 characters' }).optional(),
  action: z
    .string()
    .regex(/^[a-z]+\.[a-z-]+$/, { error: 'must look like <target>.<verb>, e.g. connector.update' })
    .optional(),
  before: z.string().regex(/^[0-9a-f]{24}$/i, { error: 'must be the `next` cursor of a previous page' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(200, { error: 'must be at most 200' }).default(50),
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

/** Every action Syncdeck records, for filters and labels. */
export const auditActions = [
  'connector.create',
  'connector.update',
  'connector.delete',
  'connector.enable',
  'connector.disable',
  'connector.run',
  'connector.cancel',
  'scheduler.pause',
  'scheduler.resume',
  'user.create',
  'user.update',
  'user.change-role',
  'user.disable',
  'user.enable',
  'user.reset-password',
  'token.create',
  'token.revoke',
] as const;
