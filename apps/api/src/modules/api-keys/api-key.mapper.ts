import { type ApiKey, type ApiKeyScope, type ApiKeyStatus, apiKeyScopeSchema } from '@entra-backup/common';
import type { ApiKeyEntity } from '../../persistence/entities';

/** Revoked wins over expired; a key past its expiry is expired even while not yet revoked. */
export function statusOf(key: ApiKeyEntity, now: Date): ApiKeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** A stored key as listed: never its secret (nor its hash). */
export function toApiKeyResponse(key: ApiKeyEntity, now: Date, replacedBy: string | null): ApiKey {
  return {
    keyId: key.id,
    prefix: `eb_${key.prefix}`,
    name: key.name,
    scopes: scopesOf(key),
    ownerKind: key.ownerKind === 'partner' ? 'partner' : 'tenant',
    ownerId: key.ownerId,
    tenantIds: key.tenantIds === null ? null : parseStrings(key.tenantIds),
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedAddress: key.lastUsedAddress,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    replacedBy: replacedBy === null ? null : `eb_${replacedBy}`,
    status: statusOf(key, now),
  };
}

export function scopesOf(key: ApiKeyEntity): ApiKeyScope[] {
  return parseStrings(key.scopes).flatMap((s) => {
    const parsed = apiKeyScopeSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

function parseStrings(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
