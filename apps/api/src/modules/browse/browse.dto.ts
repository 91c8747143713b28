import {
  browseObjectPageSchema,
  browseObjectsQuerySchema,
  browseSnapshotDetailSchema,
  browseSnapshotPageSchema,
  cursorPage,
  listSnapshotsQuerySchema,
  objectDetailSchema,
  revealKeyRequestSchema,
  revealKeyResponseSchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class BrowseSnapshotPageDto extends createZodDto(cursorPage(browseSnapshotPageSchema)) {}
export class BrowseSnapshotDetailDto extends createZodDto(browseSnapshotDetailSchema) {}
export class BrowseObjectPageDto extends createZodDto(cursorPage(browseObjectPageSchema)) {}
export class ObjectDetailDto extends createZodDto(objectDetailSchema) {}
export class ListSnapshotsQueryDto extends createZodDto(listSnapshotsQuerySchema) {}
export class BrowseObjectsQueryDto extends createZodDto(browseObjectsQuerySchema) {}
export class RevealKeyDto extends createZodDto(revealKeyRequestSchema) {}
export class RevealKeyResponseDto extends createZodDto(revealKeyResponseSchema) {}

const snapshotRef = z
  .string()
  .min(1)
  .max(64)
  .describe('A snapshot id, its sequence number (12 or #12) or `latest`');
const segment = z.string().min(1).max(512);

/** `/tenants/:tenantId/snapshots/:snapshot` */
export class SnapshotParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, snapshot: snapshotRef }),
) {}

/** `/tenants/:tenantId/snapshots/:snapshot/types/:type/objects` */
export class TypeParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, snapshot: snapshotRef, type: z.string().min(1).max(64) }),
) {}

/** `/tenants/:tenantId/snapshots/:snapshot/types/:type/objects/:collection/:objectId` */
export class ObjectParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    snapshot: snapshotRef,
    type: z.string().min(1).max(64),
    collection: z.string().min(1).max(128),
    objectId: segment,
  }),
) {}

/** `/tenants/:tenantId/snapshots/:snapshot/bitlocker-keys/:keyId/reveal` */
export class KeyParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, snapshot: snapshotRef, keyId: segment }),
) {}
