import { DomainException } from '../../core/errors/domain.exception';

export enum RestoreExceptionCode {
  /** No plan with that id for the tenant (HTTP 404). */
  RESTORE_PLAN_NOT_FOUND = 'RESTORE_PLAN_NOT_FOUND',
  /** No restore with that id for the tenant (HTTP 404). */
  RESTORE_NOT_FOUND = 'RESTORE_NOT_FOUND',
  /** The plan was already executed, or is being executed (HTTP 409). */
  RESTORE_PLAN_USED = 'RESTORE_PLAN_USED',
  /** The target's admin consent lacks a write permission the plan needs (HTTP 409). */
  RESTORE_PERMISSION_MISSING = 'RESTORE_PERMISSION_MISSING',
  /** A backup or restore of the target tenant holds its lease (HTTP 409). */
  RESTORE_TENANT_BUSY = 'RESTORE_TENANT_BUSY',
  /** The restore cannot be resumed (it finished, or never started) (HTTP 409). */
  RESTORE_NOT_RESUMABLE = 'RESTORE_NOT_RESUMABLE',
  /** Bad selection, paging or options (HTTP 400). */
  RESTORE_INVALID_REQUEST = 'RESTORE_INVALID_REQUEST',
  /** Temporary passwords were already handed out, or none exist (HTTP 410). */
  RESTORE_CREDENTIALS_GONE = 'RESTORE_CREDENTIALS_GONE',
  /** The restore cannot be undone from here (no pre-restore backup, another tenant) (HTTP 409). */
  RESTORE_UNDO_UNAVAILABLE = 'RESTORE_UNDO_UNAVAILABLE',
}

export class RestoreException extends DomainException<RestoreExceptionCode> {
  private constructor(code: RestoreExceptionCode, message: string) {
    super(code, message);
  }

  static planNotFound(planId: string): RestoreException {
    return new RestoreException(RestoreExceptionCode.RESTORE_PLAN_NOT_FOUND, `No restore plan ${planId}`);
  }

  static notFound(restoreId: string): RestoreException {
    return new RestoreException(RestoreExceptionCode.RESTORE_NOT_FOUND, `No restore ${restoreId}`);
  }

  static planUsed(planId: string): RestoreException {
    return new RestoreException(
      RestoreExceptionCode.RESTORE_PLAN_USED,
      `Restore plan ${planId} has already been executed; compute a new plan`,
    );
  }

  static permissionMissing(tenantId: string, permissions: readonly string[]): RestoreException {
    return new RestoreException(
      RestoreExceptionCode.RESTORE_PERMISSION_MISSING,
      `Tenant ${tenantId} has not granted the write permission(s) this restore needs: ${permissions.join(', ')}. ` +
        'A Global Administrator of the tenant must grant admin consent again (Settings → Grant consent)',
    );
  }

  static tenantBusy(tenantId: string, detail?: string): RestoreException {
    return new RestoreException(
      RestoreExceptionCode.RESTORE_TENANT_BUSY,
      `A backup or restore of tenant ${tenantId} is running${detail ? ` (${detail})` : ''}; try again when it has finished`,
    );
  }

  static notResumable(restoreId: string, status: string): RestoreException {
    return new RestoreException(
      RestoreExceptionCode.RESTORE_NOT_RESUMABLE,
      `Restore ${restoreId} is ${status}; only an interrupted restore can be resumed`,
    );
  }

  static invalidRequest(message: string): RestoreException {
    return new RestoreException(RestoreExceptionCode.RESTORE_INVALID_REQUEST, message);
  }

  static credentialsGone(restoreId: string): RestoreException {
    return new RestoreException(
      RestoreExceptionCode.RESTORE_CREDENTIALS_GONE,
      `The temporary passwords of restore ${restoreId} were already handed out or there are none`,
    );
  }

  static undoUnavailable(
    restoreId: string,
    why: 'no-backup' | 'other-tenant' | 'nothing-written',
  ): RestoreException {
    const reasons = {
      'no-backup': 'it stopped before its pre-restore backup was taken, so it wrote nothing',
      'other-tenant': 'it wrote into another tenant; undo it from that tenant',
      'nothing-written': 'it restored only archive types, which are never written',
    };
    return new RestoreException(
      RestoreExceptionCode.RESTORE_UNDO_UNAVAILABLE,
      `Restore ${restoreId} cannot be undone here: ${reasons[why]}`,
    );
  }
}
