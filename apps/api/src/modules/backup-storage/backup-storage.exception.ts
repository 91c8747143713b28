import { DomainException } from '../../core/errors/domain.exception';

export enum BackupStorageExceptionCode {
  /** Another process or run holds the tenant's backup lease (HTTP 409). */
  BACKUP_LEASE_HELD = 'BACKUP_LEASE_HELD',
  /** The lease expired or was taken over while a run held it (HTTP 409). */
  BACKUP_LEASE_LOST = 'BACKUP_LEASE_LOST',
  /** No visible snapshot with that id for that tenant (HTTP 404). */
  SNAPSHOT_NOT_FOUND = 'SNAPSHOT_NOT_FOUND',
  /** The tenant is not registered (HTTP 404). */
  BACKUP_TENANT_NOT_FOUND = 'BACKUP_TENANT_NOT_FOUND',
  /** A bad argument: unknown type key, empty type list, bad page size, object without id (HTTP 400). */
  BACKUP_INVALID_ARGUMENT = 'BACKUP_INVALID_ARGUMENT',
  /** The snapshot writer was used after it committed or aborted, or for a finished type (HTTP 409). */
  SNAPSHOT_WRITER_CLOSED = 'SNAPSHOT_WRITER_CLOSED',
}

export class BackupStorageException extends DomainException<BackupStorageExceptionCode> {
  private constructor(code: BackupStorageExceptionCode, message: string) {
    super(code, message);
  }

  static leaseHeld(tenantId: string, holderId: string, expiresAt: Date): BackupStorageException {
    return new BackupStorageException(
      BackupStorageExceptionCode.BACKUP_LEASE_HELD,
      `A backup of tenant ${tenantId} is already running (held by ${holderId} until ${expiresAt.toISOString()})`,
    );
  }

  static leaseLost(tenantId: string, holderId: string): BackupStorageException {
    return new BackupStorageException(
      BackupStorageExceptionCode.BACKUP_LEASE_LOST,
      `The backup lease of tenant ${tenantId} held by ${holderId} expired or was taken over`,
    );
  }

  static snapshotNotFound(tenantId: string, snapshotId: string): BackupStorageException {
    return new BackupStorageException(
      BackupStorageExceptionCode.SNAPSHOT_NOT_FOUND,
      snapshotId === 'latest'
        ? `Tenant ${tenantId} has no snapshot yet`
        : `Tenant ${tenantId} has no snapshot ${snapshotId}`,
    );
  }

  static tenantNotFound(tenantId: string): BackupStorageException {
    return new BackupStorageException(
      BackupStorageExceptionCode.BACKUP_TENANT_NOT_FOUND,
      `Tenant ${tenantId} is not registered`,
    );
  }

  static invalidArgument(message: string): BackupStorageException {
    return new BackupStorageException(BackupStorageExceptionCode.BACKUP_INVALID_ARGUMENT, message);
  }

  static writerClosed(message: string): BackupStorageException {
    return new BackupStorageException(BackupStorageExceptionCode.SNAPSHOT_WRITER_CLOSED, message);
  }
}
