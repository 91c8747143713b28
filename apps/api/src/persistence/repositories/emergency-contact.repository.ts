import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { EmergencyContactEntity } from '../entities';

export type ContactOwnerKind = 'tenant' | 'partner';

export interface ContactsRecord {
  readonly emails: string[];
  readonly webhookUrl: string | null;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

/** The people and webhooks told of emergency sign-ins, per tenant and per partner. */
@Injectable()
export class EmergencyContactRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async find(ownerKind: ContactOwnerKind, ownerId: string): Promise<ContactsRecord | null> {
    const row = await this.gate.run((db) =>
      db.getRepository(EmergencyContactEntity).findOneBy({ ownerKind, ownerId }),
    );
    return row === null ? null : toRecord(row);
  }

  async save(ownerKind: ContactOwnerKind, ownerId: string, contacts: ContactsRecord): Promise<void> {
    const entity = Object.assign(new EmergencyContactEntity(), {
      ownerKind,
      ownerId,
      emails: JSON.stringify(contacts.emails),
      webhookUrl: contacts.webhookUrl,
      updatedAt: contacts.updatedAt,
      updatedBy: contacts.updatedBy,
    });
    await this.gate.run((db) =>
      db.getRepository(EmergencyContactEntity).upsert(entity, ['ownerKind', 'ownerId']),
    );
  }
}

function toRecord(row: EmergencyContactEntity): ContactsRecord {
  let emails: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.emails);
    if (Array.isArray(parsed)) emails = parsed.filter((e): e is string => typeof e === 'string');
  } catch {
    emails = [];
  }
  return { emails, webhookUrl: row.webhookUrl, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}
