import { allObjectTypesOff, isObjectTypeKey, type SettingsResponse } from '@entra-backup/common';
import type { TenantSettingRow } from '../../persistence/repositories';

/**
 * All 14 keys, off unless a stored row switches them on. Rows for keys this version does not
 * know (written by a newer release) are ignored rather than leaked into the contract.
 */
export function toSettingsResponse(
  tenantId: string,
  rows: readonly TenantSettingRow[],
  tenantCreatedAt: string,
): SettingsResponse {
  const enabledTypes = allObjectTypesOff();
  let updatedAt = tenantCreatedAt;
  for (const row of rows) {
    if (!isObjectTypeKey(row.objectType)) continue;
    enabledTypes[row.objectType] = row.enabled;
    const rowUpdatedAt = row.updatedAt.toISOString();
    if (rowUpdatedAt > updatedAt) updatedAt = rowUpdatedAt;
  }
  return { tenantId, enabledTypes, updatedAt };
}
