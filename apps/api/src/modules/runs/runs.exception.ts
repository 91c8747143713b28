import { DomainException } from '../../core/errors/domain.exception';
import { BackupExceptionCode } from '../backup/backup.exception';
import { ConsentExceptionCode } from '../consent/consent.exception';

/**
 * The REST face of backup runs speaks to portal users: the codes are the backup and consent
 * module's own (so their HTTP statuses come from the one mapping), the messages are worded for
 * the person who pressed the button.
 */
export type RunsExceptionCode =
  | BackupExceptionCode.BACKUP_ALREADY_RUNNING
  | BackupExceptionCode.BACKUP_RUN_NOT_FOUND
  | ConsentExceptionCode.CONSENT_REQUIRED;

export class RunsException extends DomainException<RunsExceptionCode> {
  private constructor(code: RunsExceptionCode, message: string) {
    super(code, message);
  }

  static alreadyRunning(): RunsException {
    return new RunsException(
      BackupExceptionCode.BACKUP_ALREADY_RUNNING,
      'A backup is already running for this tenant; try again when it has finished',
    );
  }

  static runNotFound(runId: string): RunsException {
    return new RunsException(
      BackupExceptionCode.BACKUP_RUN_NOT_FOUND,
      `This tenant has no backup run ${runId}`,
    );
  }

  static consentRequired(): RunsException {
    return new RunsException(
      ConsentExceptionCode.CONSENT_REQUIRED,
      'Grant admin consent in Settings before backing up: without it the backup cannot read the tenant',
    );
  }
}
