import { snapshotExportQuerySchema, tenantIdSchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class SnapshotExportQueryDto extends createZodDto(snapshotExportQuerySchema) {}

/** Path parameters of `/tenants/:tenantId/snapshots/:snapshot/...` (an id, `12`, `#12` or `latest`). */
export class SnapshotParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, snapshot: z.string().min(1).max(100) }),
) {}
