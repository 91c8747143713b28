import { randomUUID } from 'node:crypto';
import {
  API_KEY_SCOPE_PERMISSIONS,
  type ApiKey,
  type ApiKeyPage,
  type ApiKeyScope,
  type CreatedApiKey,
  type ListApiKeysQuery,
  type Permission,
  withNextCursor,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import type { ApiKeyEntity } from '../../persistence/entities';
import {
  type ApiKeyOwner,
  ApiKeyRepository,
  PartnerRepository,
  TenantRepository,
} from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { allowsOnPartner, allowsOnTenant } from '../auth/access-policy';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { hashKeySecret } from '../auth/principal-resolver.service';
import { scopesOf, statusOf, toApiKeyResponse } from './api-key.mapper';
import { ApiKeySecrets, formatApiKey } from './api-key-secrets';
import { ApiKeyException } from './api-keys.exception';

/** A create request as validated (`tenantIds` only for partner keys). */
export interface NewApiKeyRequest {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt?: string | undefined;
  readonly tenantIds?: readonly string[] | undefined;
}

/** Permissions that mean something only at a partner; a tenant's key may carry them to no effect. */
const PARTNER_ONLY: ReadonlySet<Permission> = new Set<Permission>(['customers:onboard']);

/**
 * API keys of a tenant (its admins') or of a partner (its Owners' and Admins'): created with a
 * secret shown once and stored as a SHA-256 hash, listed without it, rotated (a new secret, the
 * same name, scopes and tenants) and revoked. The principal resolver reads the key's row on every
 * request, so a revocation or an expiry holds from the next request on.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly tenants: TenantRepository,
    private readonly partners: PartnerRepository,
    private readonly secrets: ApiKeySecrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(owner: ApiKeyOwner, query: ListApiKeysQuery): Promise<ApiKeyPage> {
    await this.requireOwner(owner);
    const now = this.clock.now();
    const { items, total } = await this.keys.list(owner, {
      ...(query.status === undefined ? {} : { state: query.status }),
      now,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const replacements = await this.keys.prefixesOf(
      items.flatMap((k) => (k.replacedById === null ? [] : [k.replacedById])),
    );
    return withNextCursor(query, {
      items: items.map((k) =>
        toApiKeyResponse(k, now, k.replacedById === null ? null : (replacements.get(k.replacedById) ?? null)),
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  /** @throws ApiKeyException API_KEY_INVALID_REQUEST, API_KEY_SCOPE_NOT_HELD, API_KEY_OWNER_NOT_FOUND */
  async create(owner: ApiKeyOwner, request: NewApiKeyRequest, principal: Principal): Promise<CreatedApiKey> {
    refuseKeyPrincipals(principal);
    await this.requireOwner(owner);
    const now = this.clock.now();
    const expiresAt = request.expiresAt === undefined ? null : new Date(request.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
      throw ApiKeyException.invalidRequest('expiresAt must be in the future');
    }
    const tenantIds = await this.narrowing(owner, request.tenantIds);
    await this.requireScopesHeld(owner, request.scopes, principal);

    const { entity, key } = await this.newKey({
      name: request.name,
      scopes: [...request.scopes],
      owner,
      tenantIds,
      createdBy: principal.actor,
      createdAt: now,
      expiresAt,
    });
    await this.keys.insert(entity);
    await this.audit.record({
      actor: principal.actor,
      action: AuditAction.API_KEY_CREATED,
      tenantId: owner.kind === 'tenant' ? owner.id : null,
      details: { ...describe(entity), address: principal.address },
    });
    return { ...toApiKeyResponse(entity, now, null), key };
  }

  /**
   * A new key with the old one's name, scopes, tenants and expiry. The old key is revoked, or with
   * `graceMinutes` keeps working until then (never past its own expiry).
   *
   * @throws ApiKeyException API_KEY_NOT_FOUND, API_KEY_NOT_ACTIVE
   */
  async rotate(
    owner: ApiKeyOwner,
    keyId: string,
    graceMinutes: number,
    principal: Principal,
  ): Promise<CreatedApiKey> {
    refuseKeyPrincipals(principal);
    const old = await this.ownedKey(owner, keyId);
    const now = this.clock.now();
    const state = statusOf(old, now);
    if (state !== 'active') throw ApiKeyException.notActive(`eb_${old.prefix}`, state);
    if (old.replacedById !== null) throw ApiKeyException.notActive(`eb_${old.prefix}`, 'already replaced');
    // The rotating person must still hold what the key grants, as when it was created.
    await this.requireScopesHeld(owner, scopesOf(old), principal);

    const { entity, key } = await this.newKey({
      name: old.name,
      scopes: scopesOf(old),
      owner,
      tenantIds: old.tenantIds === null ? null : (JSON.parse(old.tenantIds) as string[]),
      createdBy: principal.actor,
      createdAt: now,
      expiresAt: old.expiresAt,
    });
    const graceEnd = new Date(now.getTime() + graceMinutes * 60_000);
    const retireAt =
      old.expiresAt !== null && old.expiresAt.getTime() < graceEnd.getTime() ? old.expiresAt : graceEnd;
    const rotated = await this.keys.rotate(old.id, entity, { at: retireAt, revoke: graceMinutes === 0 });
    if (!rotated) throw ApiKeyException.notActive(`eb_${old.prefix}`, 'revoked or replaced');
    await this.audit.record({
      actor: principal.actor,
      action: AuditAction.API_KEY_ROTATED,
      tenantId: owner.kind === 'tenant' ? owner.id : null,
      details: {
        ...describe(entity),
        replacedKeyId: old.id,
        replacedPrefix: `eb_${old.prefix}`,
        oldKeyValidUntil: retireAt.toISOString(),
        address: principal.address,
      },
    });
    return { ...toApiKeyResponse(entity, now, null), key };
  }

  /** Revokes the key (a no-op for a revoked one); it is refused from the next request on. */
  async revoke(owner: ApiKeyOwner, keyId: string, principal: Principal): Promise<ApiKey> {
    refuseKeyPrincipals(principal);
    const key = await this.ownedKey(owner, keyId);
    const now = this.clock.now();
    if (await this.keys.revoke(key.id, now)) {
      key.revokedAt = now;
      await this.audit.record({
        actor: principal.actor,
        action: AuditAction.API_KEY_REVOKED,
        tenantId: owner.kind === 'tenant' ? owner.id : null,
        details: { ...describe(key), address: principal.address },
      });
    }
    const replacedBy =
      key.replacedById === null
        ? null
        : ((await this.keys.prefixesOf([key.replacedById])).get(key.replacedById) ?? null);
    return toApiKeyResponse(key, now, replacedBy);
  }

  private async ownedKey(owner: ApiKeyOwner, keyId: string): Promise<ApiKeyEntity> {
    await this.requireOwner(owner);
    const key = await this.keys.findOwned(owner, keyId.toLowerCase());
    if (key === null) throw ApiKeyException.notFound(keyId);
    return key;
  }

  private async requireOwner(owner: ApiKeyOwner): Promise<void> {
    const found =
      owner.kind === 'tenant'
        ? await this.tenants.findById(owner.id)
        : await this.partners.findById(owner.id);
    if (found === null) throw ApiKeyException.ownerNotFound(owner.kind, owner.id);
  }

  /** A partner key's tenants, each checked to be the partner's; null: all of the owner's. */
  private async narrowing(
    owner: ApiKeyOwner,
    tenantIds: readonly string[] | undefined,
  ): Promise<string[] | null> {
    if (tenantIds === undefined) return null;
    if (owner.kind === 'tenant') {
      throw ApiKeyException.invalidRequest("tenantIds is only for a partner's keys");
    }
    const ids = [...new Set(tenantIds.map((id) => id.toLowerCase()))];
    for (const id of ids) {
      const tenant = await this.tenants.findById(id);
      if (tenant === null || tenant.partnerId !== owner.id) {
        throw ApiKeyException.invalidRequest(`Tenant ${id} is not a customer tenant of this partner`);
      }
    }
    return ids.sort();
  }

  /**
   * Nobody hands a key more than they hold: every permission of the scopes must be the caller's
   * on the owner (the tenant, or the partner).
   */
  private async requireScopesHeld(
    owner: ApiKeyOwner,
    scopes: readonly ApiKeyScope[],
    principal: Principal,
  ): Promise<void> {
    const tenantRef =
      owner.kind === 'tenant'
        ? { id: owner.id, partnerId: (await this.tenants.findById(owner.id))?.partnerId ?? null }
        : undefined;
    for (const scope of scopes) {
      for (const permission of API_KEY_SCOPE_PERMISSIONS[scope]) {
        const held =
          tenantRef === undefined
            ? allowsOnPartner(principal, permission, owner.id)
            : PARTNER_ONLY.has(permission) || allowsOnTenant(principal, permission, tenantRef);
        if (!held) throw ApiKeyException.scopeNotHeld(scope, permission);
      }
    }
  }

  private async newKey(fields: {
    name: string;
    scopes: ApiKeyScope[];
    owner: ApiKeyOwner;
    tenantIds: string[] | null;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date | null;
  }): Promise<{ entity: ApiKeyEntity; key: string }> {
    const prefix = await this.freePrefix();
    const secret = this.secrets.newSecret();
    const entity: ApiKeyEntity = {
      id: randomUUID(),
      prefix,
      secretHash: hashKeySecret(secret),
      name: fields.name,
      scopes: JSON.stringify(fields.scopes),
      ownerKind: fields.owner.kind,
      ownerId: fields.owner.id,
      tenantIds: fields.tenantIds === null ? null : JSON.stringify(fields.tenantIds),
      createdBy: fields.createdBy,
      createdAt: fields.createdAt,
      expiresAt: fields.expiresAt,
      lastUsedAt: null,
      lastUsedAddress: null,
      revokedAt: null,
      replacedById: null,
    };
    return { entity, key: formatApiKey(prefix, secret) };
  }

  /**
   * A prefix no key has: 36^8 prefixes make a clash rare, and the unique index stays the final
   * word should two requests draw the same one at the same moment.
   */
  private async freePrefix(): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const prefix = this.secrets.newPrefix();
      if ((await this.keys.findByPrefix(prefix)) === null) return prefix;
    }
    throw new Error('Could not draw an unused API key prefix');
  }
}

/** Keys never manage keys: the guard already refuses them (no key scope grants keys:manage). */
function refuseKeyPrincipals(principal: Principal): void {
  if (principal.kind === 'api-key') throw AuthException.permissionDenied('keys:manage');
}

/** What the audit trail keeps of a key: never the secret or its hash. */
function describe(key: ApiKeyEntity): Record<string, unknown> {
  return {
    keyId: key.id,
    prefix: `eb_${key.prefix}`,
    name: key.name,
    scopes: scopesOf(key),
    ownerKind: key.ownerKind,
    ownerId: key.ownerId,
    tenantIds: key.tenantIds === null ? null : (JSON.parse(key.tenantIds) as string[]),
    expiresAt: key.expiresAt?.toISOString() ?? null,
  };
}
