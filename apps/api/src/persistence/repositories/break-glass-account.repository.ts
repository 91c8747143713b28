import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { AuthSessionEntity, BreakGlassAccountEntity } from '../entities';

export type NewBreakGlassAccount = Pick<
  BreakGlassAccountEntity,
  'id' | 'tenantId' | 'username' | 'passwordHash' | 'totpSecretSealed' | 'createdAt' | 'createdBy'
>;

/** After a failed sign-in: the consecutive failures so far, and the lock they set, if any. */
export interface FailureOutcome {
  readonly failedAttempts: number;
  readonly lockedUntil: Date | null;
}

/** Break-glass accounts of tenants, with their sign-in bookkeeping. */
@Injectable()
export class BreakGlassAccountRepository {
  constructor(private readonly gate: DatabaseGate) {}

  listByTenant(tenantId: string): Promise<BreakGlassAccountEntity[]> {
    return this.gate.run((db) =>
      db.getRepository(BreakGlassAccountEntity).find({ where: { tenantId }, order: { username: 'ASC' } }),
    );
  }

  findByUsername(tenantId: string, username: string): Promise<BreakGlassAccountEntity | null> {
    return this.gate.run((db) => db.getRepository(BreakGlassAccountEntity).findOneBy({ tenantId, username }));
  }

  findById(tenantId: string, id: string): Promise<BreakGlassAccountEntity | null> {
    return this.gate.run((db) => db.getRepository(BreakGlassAccountEntity).findOneBy({ tenantId, id }));
  }

  async insert(account: NewBreakGlassAccount): Promise<BreakGlassAccountEntity> {
    const entity = Object.assign(new BreakGlassAccountEntity(), {
      ...account,
      lastUsedStep: null,
      failedAttempts: 0,
      lockedUntil: null,
      lastUsedAt: null,
      lastUsedAddress: null,
    });
    await this.gate.run((db) => db.getRepository(BreakGlassAccountEntity).insert(entity));
    return entity;
  }

  /**
   * Deletes an account and ends its sessions (the session keeps the break-glass account as
   * `"emergency":{"accountId":"<id>",...}`), so a deleted account is refused at its next request.
   * Whether an account was deleted.
   */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.gate.transaction(async (db) => {
      const result = await db.getRepository(BreakGlassAccountEntity).delete({ tenantId, id });
      if ((result.affected ?? 0) === 0) return false;
      // Account ids are GUIDs: no LIKE wildcard can hide in them.
      await db
        .createQueryBuilder()
        .delete()
        .from(AuthSessionEntity)
        .where('data LIKE :pattern', { pattern: `%"accountId":"${id}"%` })
        .execute();
      return true;
    });
  }

  /**
   * Counts a failed sign-in. The `maxFailures`-th consecutive failure locks the account until
   * `now + lockMs`; the first failure after a lock has run out starts counting afresh.
   */
  async recordFailure(id: string, now: Date, maxFailures: number, lockMs: number): Promise<FailureOutcome> {
    return this.gate.transaction(async (db) => {
      const query = db
        .getRepository(BreakGlassAccountEntity)
        .createQueryBuilder('a')
        .where('a.id = :id', { id });
      // SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock.
      if (this.gate.engine === 'postgres') query.setLock('pessimistic_write');
      const account = await query.getOne();
      if (account === null) return { failedAttempts: 0, lockedUntil: null };
      const lockOver = account.lockedUntil !== null && account.lockedUntil.getTime() <= now.getTime();
      const failedAttempts = (lockOver ? 0 : account.failedAttempts) + 1;
      const lockedUntil =
        failedAttempts >= maxFailures
          ? new Date(now.getTime() + lockMs)
          : lockOver
            ? null
            : account.lockedUntil;
      await db.getRepository(BreakGlassAccountEntity).update({ id }, { failedAttempts, lockedUntil });
      return { failedAttempts, lockedUntil };
    });
  }

  /**
   * Records a successful sign-in with the TOTP time step it used, unless a sign-in already used
   * that step or a later one (then false: the code was replayed, possibly by a concurrent request
   * of another process). Clears failures and any lock.
   */
  async recordSuccess(id: string, step: number, now: Date, address: string | null): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(BreakGlassAccountEntity)
        .createQueryBuilder()
        .update()
        .set({
          lastUsedStep: step,
          failedAttempts: 0,
          lockedUntil: null,
          lastUsedAt: now,
          lastUsedAddress: address,
        })
        .where('id = :id AND (last_used_step IS NULL OR last_used_step < :step)', { id, step })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }
}
