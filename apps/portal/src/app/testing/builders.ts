import { type SettingsResponse, type TenantResponse, allObjectTypesOff } from '@entra-backup/common';

/** Test data in the shape the API sends, with overridable fields. */
export function buildTenant(overrides: Partial<TenantResponse> = {}): TenantResponse {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    displayName: 'Contoso',
    createdAt: '2026-11-20T09:30:00.000Z',
    updatedAt: '2026-11-20T09:30:00.000Z',
    ...overrides,
  };
}

export function buildSettings(overrides: Partial<SettingsResponse> = {}): SettingsResponse {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    enabledTypes: allObjectTypesOff(),
    updatedAt: '2026-11-20T09:30:00.000Z',
    ...overrides,
  };
}

/** The API's error body, as sent with every 4xx/5xx. */
export function buildErrorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, message, correlationId: '0f5c2a9e-6a52-4b0b-9a34-3b1e2f0c1d11' };
}
