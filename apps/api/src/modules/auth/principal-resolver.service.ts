import { createHash } from 'node:crypto';
import {
  API_KEY_PATTERN,
  API_KEY_SCOPE_PERMISSIONS,
  type ApiKeyScope,
  apiKeyScopeSchema,
  EMERGENCY_PERMISSIONS,
  PARTNER_ROLE_PERMISSIONS,
  partnerRoleSchema,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../../core/clock';
import type { ApiKeyEntity } from '../../persistence/entities';
import { ApiKeyRepository, PartnerRepository } from '../../persistence/repositories';
import { userActor } from '../audit/audit-action';
import { AuthException } from './auth.exception';
import { constantTimeEqual } from './oidc-client';
import type { Grant, Principal } from './principal';
import type { SessionPrincipal } from './session.types';

/** Last-use time and address of a key are written at most this often (unless the address changes). */
const KEY_USE_WRITE_INTERVAL_MS = 60_000;

/** Hex SHA-256 of an API key's secret part, as stored. */
export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Turns a request's credentials into its principal: `Authorization: Bearer <API key>`, or the
 * session's signed-in person or break-glass account. A person's partner roles are read on every
 * request, so a removed staff member or a revoked key loses access at once.
 */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly partners: PartnerRepository,
    private readonly keys: ApiKeyRepository,
    private readonly clock: Clock,
  ) {}

  /** The request's bearer token, if it sent one (`undefined`), and whether the header was malformed. */
  static bearerOf(request: Request): string | undefined {
    const header = request.header('authorization');
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null)
      throw AuthException.apiKeyInvalid('the Authorization header must be "Bearer <API key>"');
    return match[1];
  }

  /** @throws AuthException API_KEY_INVALID for a malformed, unknown, revoked or expired key */
  async fromApiKey(token: string, address: string | null): Promise<Principal> {
    const match = API_KEY_PATTERN.exec(token);
    if (match === null) throw AuthException.apiKeyInvalid('it is not an entra-backup API key (eb_…)');
    const [, prefix = '', secret = ''] = match;
    const key = await this.keys.findByPrefix(prefix);
    if (key === null || !constantTimeEqual(hashKeySecret(secret), key.secretHash)) {
      throw AuthException.apiKeyInvalid('unknown key');
    }
    const now = this.clock.now();
    if (key.revokedAt !== null) throw AuthException.apiKeyInvalid(`key eb_${prefix} was revoked`);
    if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) {
      throw AuthException.apiKeyInvalid(`key eb_${prefix} expired on ${key.expiresAt.toISOString()}`);
    }
    if (
      key.lastUsedAt === null ||
      key.lastUsedAddress !== address ||
      now.getTime() - key.lastUsedAt.getTime() >= KEY_USE_WRITE_INTERVAL_MS
    ) {
      await this.keys.recordUse(key.id, now, address);
    }
    return {
      kind: 'api-key',
      id: key.id,
      name: key.name,
      actor: `key:eb_${prefix}`,
      grants: [keyGrant(key)],
      address,
    };
  }

  async fromSessionUser(user: SessionPrincipal, address: string | null): Promise<Principal> {
    const grants: Grant[] = [];
    if (user.roles.length > 0) {
      grants.push({
        scope: { kind: 'tenants', tenantIds: [user.tenantId] },
        permissions: new Set(TENANT_ADMIN_PERMISSIONS),
        source: { kind: 'tenant-admin', roles: user.roles },
      });
    }
    for (const membership of await this.partners.membershipsOf(user.upn)) {
      if (membership.homeTenantId !== null && membership.homeTenantId !== user.tenantId) continue;
      const role = partnerRoleSchema.safeParse(membership.role);
      if (!role.success) continue;
      grants.push({
        scope: { kind: 'partner', partnerId: membership.partnerId },
        permissions: new Set(PARTNER_ROLE_PERMISSIONS[role.data]),
        source: {
          kind: 'partner',
          partnerId: membership.partnerId,
          partnerName: membership.partnerName,
          role: role.data,
        },
      });
    }
    return {
      kind: 'person',
      id: user.upn,
      name: user.name,
      actor: userActor(user.upn),
      grants,
      address,
      user,
    };
  }

  fromEmergency(account: EmergencySessionAccount, address: string | null): Principal {
    return {
      kind: 'emergency',
      id: account.accountId,
      name: account.username,
      actor: `emergency:${account.username}`,
      grants: [
        {
          scope: { kind: 'tenants', tenantIds: [account.tenantId] },
          permissions: new Set<Permission>(EMERGENCY_PERMISSIONS),
          source: { kind: 'emergency', accountId: account.accountId },
        },
      ],
      address,
    };
  }
}

/** A break-glass account signed in through emergency sign-in, as the session keeps it. */
export interface EmergencySessionAccount {
  readonly accountId: string;
  readonly tenantId: string;
  readonly username: string;
}

function keyGrant(key: ApiKeyEntity): Grant {
  const scopes = parseJsonArray(key.scopes)
    .map((s) => apiKeyScopeSchema.safeParse(s))
    .filter((r) => r.success)
    .map((r) => r.data as ApiKeyScope);
  const permissions = new Set<Permission>(scopes.flatMap((s) => API_KEY_SCOPE_PERMISSIONS[s]));
  const limited = key.tenantIds === null ? undefined : parseJsonArray(key.tenantIds);
  return {
    scope:
      key.ownerKind === 'partner'
        ? {
            kind: 'partner',
            partnerId: key.ownerId,
            ...(limited === undefined ? {} : { tenantIds: limited }),
          }
        : { kind: 'tenants', tenantIds: [key.ownerId] },
    permissions,
    source: { kind: 'api-key', keyId: key.id },
  };
}

function parseJsonArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
