import {
  cursorPage,
  executeRestoreRequestSchema,
  executeRestoreResponseSchema,
  listRestoreActionsQuerySchema,
  listRestoresQuerySchema,
  restoreActionPageSchema,
  restoreCredentialListSchema,
  restorePlanRequestSchema,
  restorePlanSummarySchema,
  restoreProgressEventSchema,
  restoreRunPageSchema,
  restoreRunSchema,
  restoreUndoSchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class CreateRestorePlanDto extends createZodDto(restorePlanRequestSchema) {}
export class RestorePlanSummaryDto extends createZodDto(restorePlanSummarySchema) {}
export class RestoreActionPageDto extends createZodDto(cursorPage(restoreActionPageSchema)) {}
export class ListRestoreActionsQueryDto extends createZodDto(listRestoreActionsQuerySchema) {}
export class ExecuteRestoreDto extends createZodDto(executeRestoreRequestSchema) {}
export class ExecuteRestoreResponseDto extends createZodDto(executeRestoreResponseSchema) {}
export class RestoreRunDto extends createZodDto(restoreRunSchema) {}
export class RestoreRunPageDto extends createZodDto(cursorPage(restoreRunPageSchema)) {}
export class ListRestoresQueryDto extends createZodDto(listRestoresQuerySchema) {}
export class RestoreUndoDto extends createZodDto(restoreUndoSchema) {}
export class RestoreCredentialListDto extends createZodDto(restoreCredentialListSchema) {}

/** One server-sent event's `data` (JSON). Documented only: the stream is `text/event-stream`. */
export const restoreProgressEventJsonSchema = z.toJSONSchema(restoreProgressEventSchema, { io: 'output' });

/** Path parameters of `/tenants/:tenantId/restore-plans/:planId`. */
export class PlanParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    planId: z.string().uuid({ message: 'planId must be the id of a restore plan (a UUID)' }),
  }),
) {}

/** Path parameters of `/tenants/:tenantId/restores/:restoreId`. */
export class RestoreParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    restoreId: z.string().uuid({ message: 'restoreId must be the id of a restore (a UUID)' }),
  }),
) {}
