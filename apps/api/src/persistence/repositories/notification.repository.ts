import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { NotificationEntity } from '../entities';

export type NotificationRecord = NotificationEntity;

/** The notification outbox. Rows are only added and have their delivery outcome set once. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async insertMany(rows: readonly NotificationRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.gate.run((db) => db.getRepository(NotificationEntity).insert([...rows]));
  }

  async markDelivered(
    id: string,
    outcome: { readonly status: 'sent' | 'failed'; readonly error: string | null; readonly at: Date },
  ): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(NotificationEntity).update(
        { id },
        {
          status: outcome.status,
          error: outcome.error,
          sentAt: outcome.status === 'sent' ? outcome.at : null,
        },
      ),
    );
  }

  /** A tenant's notifications, newest first, after the keyset of the previous page. */
  page(
    tenantId: string,
    after: { readonly occurredAt: string; readonly id: string } | undefined,
    limit: number,
  ): Promise<NotificationRecord[]> {
    return this.gate.run((db) => {
      const query = db
        .getRepository(NotificationEntity)
        .createQueryBuilder('n')
        .where('n.tenant_id = :tenantId', { tenantId });
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
