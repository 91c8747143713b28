import {
  apiKeyIdSchema,
  apiKeyPageSchema,
  apiKeySchema,
  createdApiKeySchema,
  createPartnerApiKeyRequestSchema,
  createTenantApiKeyRequestSchema,
  listApiKeysQuerySchema,
  rotateApiKeyRequestSchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class ApiKeyDto extends createZodDto(apiKeySchema) {}
export class ApiKeyPageDto extends createZodDto(apiKeyPageSchema) {}
export class CreatedApiKeyDto extends createZodDto(createdApiKeySchema) {}
export class ListApiKeysQueryDto extends createZodDto(listApiKeysQuerySchema) {}
export class CreateTenantApiKeyDto extends createZodDto(createTenantApiKeyRequestSchema) {}
export class CreatePartnerApiKeyDto extends createZodDto(createPartnerApiKeyRequestSchema) {}
export class RotateApiKeyDto extends createZodDto(rotateApiKeyRequestSchema) {}

/** A rotation's body is optional: none means no grace period. */
export const rotateApiKeyBodySchema = z.preprocess((value) => value ?? {}, rotateApiKeyRequestSchema);

const partnerIdSchema = z
  .string()
  .uuid({ message: 'partnerId must be the id of a partner (a UUID)' })
  .transform((s) => s.toLowerCase());

export class PartnerIdParamsDto extends createZodDto(z.object({ partnerId: partnerIdSchema })) {}
export class TenantKeyParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, keyId: apiKeyIdSchema }),
) {}
export class PartnerKeyParamsDto extends createZodDto(
  z.object({ partnerId: partnerIdSchema, keyId: apiKeyIdSchema }),
) {}
