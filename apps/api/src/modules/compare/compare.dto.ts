import {
  compareObjectPageSchema,
  compareObjectsQuerySchema,
  compareQuerySchema,
  compareSummarySchema,
  cursorPage,
  startLiveCompareRequestSchema,
  startLiveCompareResponseSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class CompareQueryDto extends createZodDto(compareQuerySchema) {}
export class CompareObjectsQueryDto extends createZodDto(compareObjectsQuerySchema) {}
export class CompareSummaryDto extends createZodDto(compareSummarySchema) {}
export class CompareObjectPageDto extends createZodDto(cursorPage(compareObjectPageSchema)) {}
export class StartLiveCompareDto extends createZodDto(startLiveCompareRequestSchema) {}
export class StartLiveCompareResponseDto extends createZodDto(startLiveCompareResponseSchema) {}

/** The body is optional: no body means the tenant's enabled types. */
export const startLiveCompareBodySchema = z.preprocess((value) => value ?? {}, startLiveCompareRequestSchema);
