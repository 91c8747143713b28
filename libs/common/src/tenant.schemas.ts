import { z } from 'zod';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';
import { cursorPage, cursorPagedQuery } from './paging';

/** Entra tenant ids are GUIDs. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const tenantIdSchema = z
  .string()
  .regex(GUID_PATTERN, { message: 'tenantId must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47' })
  .transform((s) => s.toLowerCase());

export const createTenantSchema = z
  .object({
    tenantId: tenantIdSchema,
    displayName: z
      .string()
      .trim()
      .min(1, 'displayName must not be empty')
      .max(256, 'displayName is at most 256 characters'),
  })
  .strict();
export type CreateTenantRequest = z.input<typeof createTenantSchema>;

export const tenantSchema = z
  .object({
    tenantId: z.string(),
    displayName: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    examples: [
      {
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        displayName: 'Contoso',
        createdAt: '2026-03-02T09:15:00.000Z',
        updatedAt: '2026-03-02T09:15:00.000Z',
      },
    ],
  });
export type TenantResponse = z.infer<typeof tenantSchema>;

export const tenantListSchema = z.object({ items: z.array(tenantSchema) });
export type TenantListResponse = z.infer<typeof tenantListSchema>;

/** `GET /api/tenants`: the tenants the caller may see, by name, paged. */
export const tenantPageSchema = cursorPage(
  tenantListSchema.extend({
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    pageSize: z.number().int().positive(),
  }),
);
export type TenantPage = z.infer<typeof tenantPageSchema>;

export const listTenantsQuerySchema = cursorPagedQuery(
  z
    .object({
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(500).default(100),
    })
    .strict(),
);
export type ListTenantsQuery = z.infer<typeof listTenantsQuerySchema>;

const objectTypeFlags = z.object(
  Object.fromEntries(OBJECT_TYPE_KEYS.map((k) => [k, z.boolean()])) as Record<ObjectTypeKey, z.ZodBoolean>,
);

/** PUT body: any subset of the 14 keys with a boolean; unknown keys are rejected. */
export const updateSettingsSchema = z.object({ enabledTypes: objectTypeFlags.partial().strict() }).strict();
export type UpdateSettingsRequest = z.infer<typeof updateSettingsSchema>;

export const settingsSchema = z.object({
  tenantId: z.string(),
  enabledTypes: objectTypeFlags,
  updatedAt: z.string(),
});
export type SettingsResponse = z.infer<typeof settingsSchema>;

export const errorBodySchema = z.object({
  statusCode: z.number(),
  code: z.string(),
  message: z.string(),
  correlationId: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
