import {
  backupHistoryQuerySchema,
  backupHistorySchema,
  backupProgressEventSchema,
  backupRunListItemSchema,
  backupRunPageSchema,
  cursorPage,
  listBackupRunsQuerySchema,
  reconciliationPolicySchema,
  startBackupRequestSchema,
  startBackupResponseSchema,
  tenantIdSchema,
  updateReconciliationPolicySchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class StartBackupDto extends createZodDto(startBackupRequestSchema) {}
export class StartBackupResponseDto extends createZodDto(startBackupResponseSchema) {}
export class BackupRunDto extends createZodDto(backupRunListItemSchema) {}
export class BackupRunPageDto extends createZodDto(cursorPage(backupRunPageSchema)) {}
export class ListBackupRunsQueryDto extends createZodDto(listBackupRunsQuerySchema) {}
export class BackupHistoryQueryDto extends createZodDto(backupHistoryQuerySchema) {}
export class BackupHistoryDto extends createZodDto(backupHistorySchema) {}
export class ReconciliationPolicyDto extends createZodDto(reconciliationPolicySchema) {}
export class UpdateReconciliationPolicyDto extends createZodDto(updateReconciliationPolicySchema) {}

/** One server-sent event's `data` (JSON). Documented only: the stream is `text/event-stream`. */
export const backupProgressEventJsonSchema = z.toJSONSchema(backupProgressEventSchema, { io: 'output' });

/** The trigger's body is optional: no body means the tenant's enabled types, incremental when possible. */
export const startBackupBodySchema = z.preprocess((value) => value ?? {}, startBackupRequestSchema);

/** Path parameters of `/tenants/:tenantId/backups/:runId`. */
export class RunParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    runId: z.string().uuid({ message: 'runId must be the id of a backup run (a UUID)' }),
  }),
) {}
