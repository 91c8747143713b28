import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { AppAuditEventEntity } from '../entities';

export interface NewAuditEvent {
  readonly occurredAt: Date;
  readonly actor: string;
  readonly tenantId: string | null;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditEventRecord extends Omit<NewAuditEvent, 'details'> {
  readonly id: string;
  readonly details: Record<string, unknown>;
}

/** The application audit trail. Append-only: there is deliberately no update or delete. */
@Injectable()
export class AuditTrailRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async append(event: NewAuditEvent): Promise<AuditEventRecord> {
    const entity = Object.assign(new AppAuditEventEntity(), {
      id: randomUUID(),
      occurredAt: event.occurredAt,
      actor: event.actor,
      tenantId: event.tenantId,
      action: event.action,
      details: JSON.stringify(event.details),
    });
    await this.gate.run((db) => db.getRepository(AppAuditEventEntity).insert(entity));
    return toRecord(entity);
  }

  /** Newest first; optionally only the events of one tenant. */
  async listRecent(options: {
    readonly tenantId?: string;
    readonly limit: number;
  }): Promise<AuditEventRecord[]> {
    const rows = await this.gate.run((db) =>
      db.getRepository(AppAuditEventEntity).find({
        where: options.tenantId === undefined ? {} : { tenantId: options.tenantId },
        order: { occurredAt: 'DESC', id: 'DESC' },
        take: options.limit,
      }),
    );
    return rows.map(toRecord);
  }
}

function toRecord(entity: AppAuditEventEntity): AuditEventRecord {
  return {
    id: entity.id,
    occurredAt: entity.occurredAt,
    actor: entity.actor,
    tenantId: entity.tenantId,
    action: entity.action,
    details: JSON.parse(entity.details) as Record<string, unknown>,
  };
}
