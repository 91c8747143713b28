import { auditExportQuerySchema, auditPageSchema, auditQuerySchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class AuditQueryDto extends createZodDto(auditQuerySchema) {}
export class AuditExportQueryDto extends createZodDto(auditExportQuerySchema) {}
export class AuditPageDto extends createZodDto(auditPageSchema) {}

/** Path parameters of `/partners/:partnerId/...`. */
export class PartnerIdParamsDto extends createZodDto(
  z.object({ partnerId: z.string().uuid({ message: 'partnerId must be a partner id (a GUID)' }) }),
) {}
