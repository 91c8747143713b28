import {
  asOfQuerySchema,
  asOfResponseSchema,
  objectHistorySchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class ObjectHistoryDto extends createZodDto(objectHistorySchema) {}
export class AsOfResponseDto extends createZodDto(asOfResponseSchema) {}
export class AsOfQueryDto extends createZodDto(asOfQuerySchema) {}

/** Path parameters of `/tenants/:tenantId/objects/:type/:collection/:objectId/...`. */
export class ObjectParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    type: z.string().min(1).max(64),
    collection: z.string().min(1).max(128),
    objectId: z.string().min(1).max(512),
  }),
) {}
