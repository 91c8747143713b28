import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import {
  AlertSettingsEntity,
  AlertStateEntity,
  BackupRunReportEntity,
  NotificationRecipientEntity,
} from '../entities';

export type RecipientOwnerKind = 'tenant' | 'partner';
export type NotificationRecipientRecord = NotificationRecipientEntity;
export type AlertSettingsRecord = AlertSettingsEntity;
export type AlertStateRecord = AlertStateEntity;

/** Who is told of alerts, the thresholds per tenant, and what the periodic checks last saw. */
@Injectable()
export class AlertConfigRepository {
  constructor(private readonly gate: DatabaseGate) {}

  listRecipients(ownerKind: RecipientOwnerKind, ownerId: string): Promise<NotificationRecipientRecord[]> {
    return this.gate.run((db) =>
      db
        .getRepository(NotificationRecipientEntity)
        .find({ where: { ownerKind, ownerId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }

  findRecipient(
    ownerKind: RecipientOwnerKind,
    ownerId: string,
    id: string,
  ): Promise<NotificationRecipientRecord | null> {
    return this.gate.run((db) =>
      db.getRepository(NotificationRecipientEntity).findOneBy({ ownerKind, ownerId, id }),
    );
  }

  findRecipientById(id: string): Promise<NotificationRecipientRecord | null> {
    return this.gate.run((db) => db.getRepository(NotificationRecipientEntity).findOneBy({ id }));
  }

  async insertRecipient(record: NotificationRecipientRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(NotificationRecipientEntity).insert(record));
  }

  async deleteRecipient(ownerKind: RecipientOwnerKind, ownerId: string, id: string): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db.getRepository(NotificationRecipientEntity).delete({ ownerKind, ownerId, id }),
    );
    return (result.affected ?? 0) > 0;
  }

  findSettings(tenantId: string): Promise<AlertSettingsRecord | null> {
    return this.gate.run((db) => db.getRepository(AlertSettingsEntity).findOneBy({ tenantId }));
  }

  async saveSettings(record: AlertSettingsRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(AlertSettingsEntity).upsert(record, ['tenantId']));
  }

  findState(tenantId: string, checkKey: string): Promise<AlertStateRecord | null> {
    return this.gate.run((db) => db.getRepository(AlertStateEntity).findOneBy({ tenantId, checkKey }));
  }

  async saveState(record: AlertStateRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(AlertStateEntity).upsert(record, ['tenantId', 'checkKey']));
  }

  /** Per tenant with any finished run: when its last completed backup finished (null: never). */
  async lastCompletedBackups(): Promise<Map<string, Date | null>> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(BackupRunReportEntity)
        .createQueryBuilder('r')
        .select('r.tenant_id', 'tenantId')
        .addSelect("MAX(CASE WHEN r.status = 'completed' THEN r.finished_at END)", 'lastCompleted')
        .where('r.finished_at IS NOT NULL')
        .groupBy('r.tenant_id')
        .getRawMany<{ tenantId: string; lastCompleted: string | null }>(),
    );
    return new Map(
      rows.map((r) => [r.tenantId, r.lastCompleted === null ? null : new Date(r.lastCompleted)]),
    );
  }
}
