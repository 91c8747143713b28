import {
  pruneRunSchema,
  retentionPreviewRequestSchema,
  retentionPreviewSchema,
  retentionSettingsSchema,
  updateRetentionSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class RetentionSettingsDto extends createZodDto(retentionSettingsSchema) {}
export class UpdateRetentionDto extends createZodDto(updateRetentionSchema) {}
export class RetentionPreviewRequestDto extends createZodDto(retentionPreviewRequestSchema) {}
export class RetentionPreviewDto extends createZodDto(retentionPreviewSchema) {}
export class PruneRunDto extends createZodDto(pruneRunSchema) {}
