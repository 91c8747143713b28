import {
  createTenantSchema,
  listTenantsQuerySchema,
  tenantIdSchema,
  tenantPageSchema,
  tenantSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class CreateTenantDto extends createZodDto(createTenantSchema) {}
export class TenantDto extends createZodDto(tenantSchema) {}
export class TenantPageDto extends createZodDto(tenantPageSchema) {}
export class ListTenantsQueryDto extends createZodDto(listTenantsQuerySchema) {}

/** Path parameters of `/tenants/:tenantId/...`: the id must be a GUID; it is lower-cased. */
export class TenantIdParamsDto extends createZodDto(z.object({ tenantId: tenantIdSchema })) {}
