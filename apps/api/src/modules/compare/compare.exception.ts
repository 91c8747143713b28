import { DomainException } from '../../core/errors/domain.exception';
import { BackupExceptionCode } from '../backup/backup.exception';
import { ConsentExceptionCode } from '../consent/consent.exception';

export enum CompareExceptionCode {
  /** The live tenant could not be read for a comparison (a type failed, or nothing was stored) (HTTP 502). */
  COMPARE_LIVE_READ_FAILED = 'COMPARE_LIVE_READ_FAILED',
  /** The types asked for cannot be compared (only log types, or none left) (HTTP 400). */
  COMPARE_NO_TYPES = 'COMPARE_NO_TYPES',
}

/**
 * Comparisons speak to the person who asked for one: a live comparison reuses the backup and
 * consent codes (so their statuses come from the one mapping) with messages about comparing.
 */
export type CompareErrorCode =
  CompareExceptionCode | BackupExceptionCode.BACKUP_ALREADY_RUNNING | ConsentExceptionCode.CONSENT_REQUIRED;

export class CompareException extends DomainException<CompareErrorCode> {
  private constructor(code: CompareErrorCode, message: string) {
    super(code, message);
  }

  static consentRequired(): CompareException {
    return new CompareException(
      ConsentExceptionCode.CONSENT_REQUIRED,
      'Grant admin consent in Settings before comparing with the live tenant: without it the tenant cannot be read',
    );
  }

  static backupRunning(): CompareException {
    return new CompareException(
      BackupExceptionCode.BACKUP_ALREADY_RUNNING,
      'A backup is running for this tenant; compare with the live tenant when it has finished',
    );
  }

  static liveReadFailed(detail: string): CompareException {
    return new CompareException(
      CompareExceptionCode.COMPARE_LIVE_READ_FAILED,
      `The live tenant could not be read for the comparison: ${detail}`,
    );
  }

  static noTypes(): CompareException {
    return new CompareException(
      CompareExceptionCode.COMPARE_NO_TYPES,
      'Nothing to compare: sign-in and audit logs only grow and are not compared; choose directory object types',
    );
  }
}
