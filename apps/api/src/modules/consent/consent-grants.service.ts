import { OBJECT_TYPE_KEYS, type ObjectTypeKey, type ObjectTypeStatus } from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import {
  type ConsentGrantRecord,
  ConsentGrantRepository,
} from '../../persistence/repositories/consent-grant.repository';
import { permissionsOf } from './consent-permissions';

/**
 * The recorded admin consent of a tenant and what it allows. No HTTP concerns, so Settings, Auth
 * and the CLI's module graph can use it.
 */
@Injectable()
export class ConsentGrantsService {
  constructor(private readonly grants: ConsentGrantRepository) {}

  find(tenantId: string): Promise<ConsentGrantRecord | null> {
    return this.grants.find(tenantId.toLowerCase());
  }

  async isGranted(tenantId: string): Promise<boolean> {
    return (await this.find(tenantId)) !== null;
  }

  save(record: ConsentGrantRecord): Promise<void> {
    return this.grants.save(record);
  }

  /** Per type: the read permissions it needs and whether the recorded grant holds them all. */
  typeStatuses(
    grant: ConsentGrantRecord | null,
    enabled: Readonly<Record<ObjectTypeKey, boolean>>,
  ): Record<ObjectTypeKey, ObjectTypeStatus> {
    const granted = new Set(grant?.grantedRoles ?? []);
    return Object.fromEntries(
      OBJECT_TYPE_KEYS.map((key) => {
        const required = [...permissionsOf(key).read];
        return [
          key,
          {
            enabled: enabled[key],
            permissionsGranted: grant !== null && required.every((p) => granted.has(p)),
            requiredPermissions: required,
          },
        ];
      }),
    ) as Record<ObjectTypeKey, ObjectTypeStatus>;
  }
}
