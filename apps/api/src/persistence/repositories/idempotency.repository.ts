import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { IdempotencyRecordEntity } from '../entities';
import { isUniqueViolation } from '../errors';

export interface IdempotencyClaim {
  readonly scopeHash: string;
  readonly principal: string;
  readonly route: string;
  readonly requestHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Answers of requests sent with an `Idempotency-Key`, keyed by principal, route and key. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly gate: DatabaseGate) {}

  /**
   * Claims the key for a request about to run: inserts a `pending` record. False when a record
   * exists (another request claimed it first, in this process or another): the primary key
   * makes the database the arbiter, so two concurrent duplicates never both run.
   */
  async claim(claim: IdempotencyClaim): Promise<boolean> {
    const entity = Object.assign(new IdempotencyRecordEntity(), {
      ...claim,
      state: 'pending',
      responseStatus: null,
      responseBody: null,
    });
    try {
      await this.gate.run((db) => db.getRepository(IdempotencyRecordEntity).insert(entity));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  find(scopeHash: string): Promise<IdempotencyRecordEntity | null> {
    return this.gate.run((db) => db.getRepository(IdempotencyRecordEntity).findOneBy({ scopeHash }));
  }

  /**
   * Removes a record that stopped counting (`createdAt` as read, so a record claimed again by
   * someone else meanwhile is left alone); true when it was removed.
   */
  async removeStale(scopeHash: string, createdAt: Date): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(IdempotencyRecordEntity)
        .createQueryBuilder()
        .delete()
        .where('scope_hash = :scopeHash AND created_at = :createdAt', {
          scopeHash,
          createdAt: createdAt.toISOString(),
        })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Stores the answer of the claimed request. */
  async complete(scopeHash: string, status: number, body: string): Promise<void> {
    await this.gate.run((db) =>
      db
        .getRepository(IdempotencyRecordEntity)
        .update(
          { scopeHash, state: 'pending' },
          { state: 'done', responseStatus: status, responseBody: body },
        ),
    );
  }

  /** Gives a claim up (the request failed), so the key can be sent again. */
  async release(scopeHash: string): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(IdempotencyRecordEntity).delete({ scopeHash, state: 'pending' }),
    );
  }

  /** Deletes records that expired before `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(IdempotencyRecordEntity)
        .createQueryBuilder()
        .delete()
        .where('expires_at <= :now', { now: now.toISOString() })
        .execute(),
    );
    return result.affected ?? 0;
  }
}
