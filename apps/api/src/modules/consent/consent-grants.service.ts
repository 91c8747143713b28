import {
  type CollectionPermissionStatus,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  type ObjectTypeStatus,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import {
  type ConsentGrantRecord,
  ConsentGrantRepository,
} from '../../persistence/repositories/consent-grant.repository';
import { collectionPermissionsOf, ownPermissionsOf } from './consent-permissions';

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

  /**
   * Per type: its own read permissions and whether the recorded grant holds them all (the type can
   * be backed up), and separately each collection needing more, with which of those are granted
   * (without them that collection is skipped, the rest of the type backed up).
   */
  typeStatuses(
    grant: ConsentGrantRecord | null,
    enabled: Readonly<Record<ObjectTypeKey, boolean>>,
  ): Record<ObjectTypeKey, ObjectTypeStatus> {
    const granted = new Set(grant?.grantedRoles ?? []);
    const isGranted = (p: string) => grant !== null && granted.has(p);
    return Object.fromEntries(
      OBJECT_TYPE_KEYS.map((key) => {
        const required = [...ownPermissionsOf(key).read];
        const collections: CollectionPermissionStatus[] = collectionPermissionsOf(key)
          .filter((c) => c.read.length > 0)
          .map((c) => ({
            collection: c.collection,
            permissions: c.read.map((permission) => ({ permission, granted: isGranted(permission) })),
            granted: c.read.every(isGranted),
          }));
        return [
          key,
          {
            enabled: enabled[key],
            permissionsGranted: grant !== null && required.every(isGranted),
            requiredPermissions: required,
            ...(collections.length > 0 ? { collections } : {}),
          },
        ];
      }),
    ) as Record<ObjectTypeKey, ObjectTypeStatus>;
  }
}
