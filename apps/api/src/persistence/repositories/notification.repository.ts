import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DatabaseGate, type GatedManager } from '../database-gate';
import { NotificationAttemptEntity, NotificationEntity } from '../entities';

export type NotificationRecord = NotificationEntity;
export type NotificationAttemptRecord = NotificationAttemptEntity;

export interface AttemptOutcome {
  readonly attempt: number;
  readonly at: Date;
  readonly outcome: 'sent' | 'failed';
  readonly detail: string | null;
  /** `sent`, `failed` (no attempt left) or `pending` (retried at `nextAttemptAt`). */
  readonly status: 'sent' | 'failed' | 'pending';
  readonly nextAttemptAt: Date | null;
}

/**
 * The notification outbox: one row per message and recipient. A `pending` row is delivered by
 * whoever claims it first (the attempt counter is the claim), every attempt is logged, and a
 * failed attempt sets the time of the next one, so deliveries survive a restart.
 */
@Injectable()
export class NotificationRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async insertMany(rows: readonly NotificationRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.gate.run((db) => insertRows(db, rows));
  }

  /** Rows whose next attempt is due, oldest first. */
  findDue(now: Date, limit: number): Promise<NotificationRecord[]> {
    return this.gate.run((db) =>
      db
        .getRepository(NotificationEntity)
        .createQueryBuilder('n')
        .where("n.status = 'pending' AND n.next_attempt_at <= :now", { now: now.toISOString() })
        .orderBy('n.next_attempt_at', 'ASC')
        .addOrderBy('n.id', 'ASC')
        .limit(limit)
        .getMany(),
    );
  }

  findByIds(ids: readonly string[]): Promise<NotificationRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.gate.run((db) => db.getRepository(NotificationEntity).findBy({ id: In([...ids]) }));
  }

  /**
   * Takes a pending row for one attempt: counts the attempt and pushes its next attempt to
   * `holdUntil`, so no other process takes it meanwhile. False when someone else took it first.
   */
  async claim(row: NotificationRecord, holdUntil: Date): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db
        .getRepository(NotificationEntity)
        .update(
          { id: row.id, status: 'pending', attempts: row.attempts },
          { attempts: row.attempts + 1, nextAttemptAt: holdUntil },
        ),
    );
    return (result.affected ?? 0) === 1;
  }

  /** Logs an attempt and sets the row's state after it. */
  async recordAttempt(id: string, outcome: AttemptOutcome, error: string | null): Promise<void> {
    await this.gate.transaction(async (db) => {
      await db.getRepository(NotificationAttemptEntity).insert({
        notificationId: id,
        attempt: outcome.attempt,
        at: outcome.at,
        outcome: outcome.outcome,
        detail: outcome.detail,
      });
      await db.getRepository(NotificationEntity).update(
        { id },
        {
          status: outcome.status,
          error,
          nextAttemptAt: outcome.nextAttemptAt,
          sentAt: outcome.status === 'sent' ? outcome.at : null,
        },
      );
    });
  }

  /** The attempt logs of some notifications, oldest attempt first. */
  async attemptsOf(ids: readonly string[]): Promise<Map<string, NotificationAttemptRecord[]>> {
    const out = new Map<string, NotificationAttemptRecord[]>();
    if (ids.length === 0) return out;
    const rows = await this.gate.run((db) =>
      db
        .getRepository(NotificationAttemptEntity)
        .find({ where: { notificationId: In([...ids]) }, order: { notificationId: 'ASC', attempt: 'ASC' } }),
    );
    for (const row of rows) {
      const list = out.get(row.notificationId) ?? [];
      list.push(row);
      out.set(row.notificationId, list);
    }
    return out;
  }

  /** Alerts of a tenant kept for its digest. */
  findHeld(tenantId: string): Promise<NotificationRecord[]> {
    return this.gate.run((db) =>
      db
        .getRepository(NotificationEntity)
        .find({ where: { tenantId, status: 'held' }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }

  /** Tenants with alerts kept for a digest. */
  async tenantsWithHeld(): Promise<string[]> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(NotificationEntity)
        .createQueryBuilder('n')
        .select('DISTINCT n.tenant_id', 'tenantId')
        .where("n.status = 'held' AND n.tenant_id IS NOT NULL")
        .getRawMany<{ tenantId: string }>(),
    );
    return rows.map((r) => r.tenantId);
  }

  /** Held alerts went out in a digest: records the digest rows and marks the held ones at once. */
  async digest(rows: readonly NotificationRecord[], heldIds: readonly string[], at: Date): Promise<void> {
    await this.gate.transaction(async (db) => {
      if (rows.length > 0) await insertRows(db, rows);
      if (heldIds.length > 0)
        await db
          .getRepository(NotificationEntity)
          .update({ id: In([...heldIds]), status: 'held' }, { status: 'digested', sentAt: at });
    });
  }

  /** A tenant's notifications, newest first, after the keyset of the previous page. */
  page(
    tenantId: string,
    after: { readonly occurredAt: string; readonly id: string } | undefined,
    limit: number,
  ): Promise<NotificationRecord[]> {
    return this.pageBy('tenant_id', tenantId, after, limit);
  }

  /** The notifications sent to a partner's recipients, newest first. */
  pageForPartner(
    partnerId: string,
    after: { readonly occurredAt: string; readonly id: string } | undefined,
    limit: number,
  ): Promise<NotificationRecord[]> {
    return this.pageBy('partner_id', partnerId, after, limit);
  }

  private pageBy(
    column: 'tenant_id' | 'partner_id',
    value: string,
    after: { readonly occurredAt: string; readonly id: string } | undefined,
    limit: number,
  ): Promise<NotificationRecord[]> {
    return this.gate.run((db) => {
      const query = db
        .getRepository(NotificationEntity)
        .createQueryBuilder('n')
        .where(`n.${column} = :value`, { value });
      if (after !== undefined) {
        query.andWhere('(n.created_at < :afterAt OR (n.created_at = :afterAt AND n.id < :afterId))', {
          afterAt: after.occurredAt,
          afterId: after.id,
        });
      }
      return query.orderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC').limit(limit).getMany();
    });
  }
}

/**
 * Inserts without TypeORM writing reloaded defaults back into the objects: it merges them by
 * position after re-reading the rows in key order, which would swap the ids of a multi-row insert.
 */
async function insertRows(db: GatedManager, rows: readonly NotificationRecord[]): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(NotificationEntity)
    .values(rows.map((r) => ({ ...r })))
    .updateEntity(false)
    .execute();
}
