import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { DatabaseGate } from '../database-gate';
import { ApiKeyEntity } from '../entities';

/** A key's owner: a tenant (its own keys) or a partner (keys over its customer tenants). */
export interface ApiKeyOwner {
  readonly kind: 'tenant' | 'partner';
  readonly id: string;
}

/** `active`: neither revoked nor expired at `now`; `expired`: past its expiry, not revoked; `revoked`. */
export type ApiKeyState = 'active' | 'expired' | 'revoked';

export interface ApiKeyListOptions {
  readonly state?: ApiKeyState;
  /** What `state` is judged against. */
  readonly now: Date;
  readonly limit: number;
  readonly offset: number;
}

/** API keys, found by their visible prefix. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly gate: DatabaseGate) {}

  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.gate.run((db) => db.getRepository(ApiKeyEntity).findOneBy({ prefix }));
  }

  /** The key, if `owner` owns it. */
  findOwned(owner: ApiKeyOwner, id: string): Promise<ApiKeyEntity | null> {
    return this.gate.run((db) =>
      db.getRepository(ApiKeyEntity).findOneBy({ id, ownerKind: owner.kind, ownerId: owner.id }),
    );
  }

  /** The prefixes of the given keys (for "replaced by" in lists). */
  async prefixesOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.gate.run((db) =>
      db
        .getRepository(ApiKeyEntity)
        .createQueryBuilder('k')
        .select(['k.id', 'k.prefix'])
        .where('k.id IN (:...ids)', { ids: [...ids] })
        .getMany(),
    );
    return new Map(rows.map((row) => [row.id, row.prefix]));
  }

  /** An owner's keys, newest first, with how many match in all. */
  list(owner: ApiKeyOwner, options: ApiKeyListOptions): Promise<{ items: ApiKeyEntity[]; total: number }> {
    return this.gate.run(async (db) => {
      const query = db
        .getRepository(ApiKeyEntity)
        .createQueryBuilder('k')
        .where('k.owner_kind = :kind AND k.owner_id = :id', { kind: owner.kind, id: owner.id });
      if (options.state !== undefined) whereState(query, options.state, options.now);
      const [items, total] = await query
        .orderBy('k.created_at', 'DESC')
        .addOrderBy('k.id', 'ASC')
        .take(options.limit)
        .skip(options.offset)
        .getManyAndCount();
      return { items, total };
    });
  }

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.gate.run((db) => db.getRepository(ApiKeyEntity).insert(key));
  }

  /** Revokes the key unless it already is; false when it was. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(ApiKeyEntity)
        .createQueryBuilder()
        .update()
        .set({ revokedAt: at })
        .where('id = :id AND revoked_at IS NULL', { id })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Stores `replacement` and retires `oldId` in one transaction: revoked at `retireAt` when that is
   * now, or expiring then (a grace period) when it is later. False when the old key was revoked
   * or replaced meanwhile (nothing is stored then).
   */
  rotate(oldId: string, replacement: ApiKeyEntity, retire: { at: Date; revoke: boolean }): Promise<boolean> {
    return this.gate.transaction(async (db) => {
      const result = await db
        .getRepository(ApiKeyEntity)
        .createQueryBuilder()
        .update()
        .set(
          retire.revoke
            ? { revokedAt: retire.at, replacedById: replacement.id }
            : { expiresAt: retire.at, replacedById: replacement.id },
        )
        .where('id = :id AND revoked_at IS NULL AND replaced_by_id IS NULL', { id: oldId })
        .execute();
      if ((result.affected ?? 0) === 0) return false;
      await db.getRepository(ApiKeyEntity).insert(replacement);
      return true;
    });
  }

  async recordUse(id: string, at: Date, address: string | null): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at, lastUsedAddress: address }),
    );
  }
}

/** Timestamps are fixed-width ISO strings, so they compare as text on both engines. */
function whereState(query: SelectQueryBuilder<ApiKeyEntity>, state: ApiKeyState, now: Date): void {
  const at = now.toISOString();
  switch (state) {
    case 'revoked':
      query.andWhere('k.revoked_at IS NOT NULL');
      return;
    case 'expired':
      query.andWhere('k.revoked_at IS NULL AND k.expires_at IS NOT NULL AND k.expires_at <= :at', { at });
      return;
    case 'active':
      query.andWhere('k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :at)', { at });
      return;
  }
}
