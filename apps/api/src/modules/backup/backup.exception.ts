import { DomainException } from '../../core/errors/domain.exception';

export enum BackupExceptionCode {
  /** Another run of the tenant holds its backup lease, in this process or another one (HTTP 409). */
  BACKUP_ALREADY_RUNNING = 'BACKUP_ALREADY_RUNNING',
  /** No run with that id (HTTP 404). */
  BACKUP_RUN_NOT_FOUND = 'BACKUP_RUN_NOT_FOUND',
  /** Nothing to back up: no type requested and none enabled in the tenant's settings (HTTP 400). */
  BACKUP_NO_TYPES = 'BACKUP_NO_TYPES',
  /** Bad paging or options (HTTP 400). */
  BACKUP_INVALID_REQUEST = 'BACKUP_INVALID_REQUEST',
  /** AZURE_CLIENT_ID / AZURE_CLIENT_SECRET are not configured, so Graph cannot be called (HTTP 503). */
  GRAPH_NOT_CONFIGURED = 'GRAPH_NOT_CONFIGURED',
}

export class BackupException extends DomainException<BackupExceptionCode> {
  private constructor(code: BackupExceptionCode, message: string) {
    super(code, message);
  }

  static alreadyRunning(tenantId: string, detail?: string): BackupException {
    return new BackupException(
      BackupExceptionCode.BACKUP_ALREADY_RUNNING,
      `A backup of tenant ${tenantId} is already running${detail ? ` (${detail})` : ''}; try again when it has finished`,
    );
  }

  static runNotFound(runId: string): BackupException {
    return new BackupException(BackupExceptionCode.BACKUP_RUN_NOT_FOUND, `No backup run ${runId}`);
  }

  static noTypes(tenantId: string): BackupException {
    return new BackupException(
      BackupExceptionCode.BACKUP_NO_TYPES,
      `Tenant ${tenantId} has no object type enabled; enable at least one in Settings or name the types to back up`,
    );
  }

  static invalidRequest(message: string): BackupException {
    return new BackupException(BackupExceptionCode.BACKUP_INVALID_REQUEST, message);
  }

  static graphNotConfigured(): BackupException {
    return new BackupException(
      BackupExceptionCode.GRAPH_NOT_CONFIGURED,
      'Microsoft Graph credentials are not configured: set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate)',
    );
  }
}
