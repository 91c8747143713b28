import { HttpStatus } from '@nestjs/common';
import { ApiKeyExceptionCode } from '../../modules/api-keys/api-keys.exception';
import { AuthExceptionCode } from '../../modules/auth/auth.exception';
import { IdempotencyExceptionCode } from '../../modules/idempotency/idempotency.exception';
import { AuditExceptionCode } from '../../modules/audit/audit.exception';
import { EmergencyExceptionCode } from '../../modules/emergency/emergency.exception';
import { NotificationExceptionCode } from '../../modules/notifications/notification.exception';
import { BackupStorageExceptionCode } from '../../modules/backup-storage/backup-storage.exception';
import { BackupExceptionCode } from '../../modules/backup/backup.exception';
import { CompareExceptionCode } from '../../modules/compare/compare.exception';
import { BrowseExceptionCode } from '../../modules/browse/browse.exception';
import { ConsentExceptionCode } from '../../modules/consent/consent.exception';
import { ExportExceptionCode } from '../../modules/export/export.exception';
import { HistoryExceptionCode } from '../../modules/history/history.exception';
import { PartnerExceptionCode } from '../../modules/partners/partners.exception';
import { RestoreExceptionCode } from '../../modules/restore/restore.exception';
import { SettingsExceptionCode } from '../../modules/settings/settings.exception';
import { TenantExceptionCode } from '../../modules/tenants/tenants.exception';

export type DomainErrorCode =
  | TenantExceptionCode
  | SettingsExceptionCode
  | BackupExceptionCode
  | BackupStorageExceptionCode
  | AuthExceptionCode
  | ConsentExceptionCode
  | ExportExceptionCode
  | RestoreExceptionCode
  | CompareExceptionCode
  | HistoryExceptionCode
  | BrowseExceptionCode
  | PartnerExceptionCode
  | ApiKeyExceptionCode
  | IdempotencyExceptionCode
  | AuditExceptionCode
  | EmergencyExceptionCode
  | NotificationExceptionCode;

/**
 * The one place domain error codes become HTTP statuses (the CLI maps every domain error to
 * exit code 1). A `Record` over the union of every module's code enum, so a module that adds
 * a code without a status here does not compile. Add a module's enum to `DomainErrorCode`.
 */
export const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, HttpStatus> = {
  [TenantExceptionCode.TENANT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [TenantExceptionCode.TENANT_EXISTS]: HttpStatus.CONFLICT,

  [SettingsExceptionCode.UNKNOWN_OBJECT_TYPE]: HttpStatus.BAD_REQUEST,

  [BackupExceptionCode.BACKUP_ALREADY_RUNNING]: HttpStatus.CONFLICT,
  [BackupExceptionCode.BACKUP_RUN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [BackupExceptionCode.BACKUP_NO_TYPES]: HttpStatus.BAD_REQUEST,
  [BackupExceptionCode.BACKUP_INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [BackupExceptionCode.GRAPH_NOT_CONFIGURED]: HttpStatus.SERVICE_UNAVAILABLE,

  [BackupStorageExceptionCode.BACKUP_LEASE_HELD]: HttpStatus.CONFLICT,
  [BackupStorageExceptionCode.BACKUP_LEASE_LOST]: HttpStatus.CONFLICT,
  [BackupStorageExceptionCode.SNAPSHOT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [BackupStorageExceptionCode.BACKUP_TENANT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [BackupStorageExceptionCode.BACKUP_INVALID_ARGUMENT]: HttpStatus.BAD_REQUEST,
  [BackupStorageExceptionCode.SNAPSHOT_WRITER_CLOSED]: HttpStatus.CONFLICT,

  [AuthExceptionCode.AUTHENTICATION_REQUIRED]: HttpStatus.UNAUTHORIZED,
  [AuthExceptionCode.NO_ACCESS]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.TENANT_FORBIDDEN]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.PERMISSION_DENIED]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.TENANT_ADMIN_REQUIRED]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.API_KEY_INVALID]: HttpStatus.UNAUTHORIZED,
  [AuthExceptionCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [AuthExceptionCode.CSRF_TOKEN_INVALID]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.SIGN_IN_FAILED]: HttpStatus.BAD_REQUEST,
  [AuthExceptionCode.SIGN_IN_NOT_CONFIGURED]: HttpStatus.SERVICE_UNAVAILABLE,

  [ConsentExceptionCode.CONSENT_REQUIRED]: HttpStatus.CONFLICT,
  [ConsentExceptionCode.CONSENT_STATE_INVALID]: HttpStatus.BAD_REQUEST,

  [ExportExceptionCode.EXPORT_TARGET_NOT_EMPTY]: HttpStatus.CONFLICT,
  [ExportExceptionCode.EXPORT_TARGET_INVALID]: HttpStatus.BAD_REQUEST,
  [ExportExceptionCode.EXPORT_SNAPSHOT_PARTIAL]: HttpStatus.CONFLICT,

  [CompareExceptionCode.COMPARE_LIVE_READ_FAILED]: HttpStatus.BAD_GATEWAY,
  [CompareExceptionCode.COMPARE_NO_TYPES]: HttpStatus.BAD_REQUEST,

  [RestoreExceptionCode.RESTORE_PLAN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RestoreExceptionCode.RESTORE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RestoreExceptionCode.RESTORE_PLAN_USED]: HttpStatus.CONFLICT,
  [RestoreExceptionCode.RESTORE_PERMISSION_MISSING]: HttpStatus.CONFLICT,
  [RestoreExceptionCode.RESTORE_TENANT_BUSY]: HttpStatus.CONFLICT,
  [RestoreExceptionCode.RESTORE_NOT_RESUMABLE]: HttpStatus.CONFLICT,
  [RestoreExceptionCode.RESTORE_INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [RestoreExceptionCode.RESTORE_CREDENTIALS_GONE]: HttpStatus.GONE,

  [HistoryExceptionCode.HISTORY_OBJECT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [HistoryExceptionCode.HISTORY_INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [RestoreExceptionCode.RESTORE_UNDO_UNAVAILABLE]: HttpStatus.CONFLICT,
  [BrowseExceptionCode.BROWSE_UNKNOWN_TYPE]: HttpStatus.BAD_REQUEST,
  [BrowseExceptionCode.BROWSE_UNKNOWN_COLLECTION]: HttpStatus.BAD_REQUEST,
  [BrowseExceptionCode.BROWSE_INVALID_QUERY]: HttpStatus.BAD_REQUEST,
  [BrowseExceptionCode.BROWSE_OBJECT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [BrowseExceptionCode.BROWSE_KEY_UNAVAILABLE]: HttpStatus.CONFLICT,

  [PartnerExceptionCode.PARTNER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [PartnerExceptionCode.PARTNER_EXISTS]: HttpStatus.CONFLICT,
  [PartnerExceptionCode.PARTNER_INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [PartnerExceptionCode.PARTNER_CURSOR_INVALID]: HttpStatus.BAD_REQUEST,
  [PartnerExceptionCode.STAFF_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [PartnerExceptionCode.STAFF_EXISTS]: HttpStatus.CONFLICT,
  [PartnerExceptionCode.STAFF_LAST_OWNER]: HttpStatus.CONFLICT,
  [PartnerExceptionCode.ONBOARDING_LINK_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [PartnerExceptionCode.ONBOARDING_LINK_EXPIRED]: HttpStatus.GONE,
  [PartnerExceptionCode.ONBOARDING_LINK_USED]: HttpStatus.GONE,
  [PartnerExceptionCode.ONBOARDING_LINK_REVOKED]: HttpStatus.GONE,
  [PartnerExceptionCode.ONBOARDING_TENANT_ADMIN_REQUIRED]: HttpStatus.FORBIDDEN,
  [PartnerExceptionCode.TENANT_ALREADY_MANAGED]: HttpStatus.CONFLICT,
  [PartnerExceptionCode.TENANT_NOT_MANAGED]: HttpStatus.NOT_FOUND,
  [PartnerExceptionCode.HAND_OVER_INVALID]: HttpStatus.BAD_REQUEST,
  [ApiKeyExceptionCode.API_KEY_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiKeyExceptionCode.API_KEY_OWNER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ApiKeyExceptionCode.API_KEY_INVALID_REQUEST]: HttpStatus.BAD_REQUEST,
  [ApiKeyExceptionCode.API_KEY_NOT_ACTIVE]: HttpStatus.CONFLICT,
  [ApiKeyExceptionCode.API_KEY_SCOPE_NOT_HELD]: HttpStatus.FORBIDDEN,

  [IdempotencyExceptionCode.IDEMPOTENCY_KEY_INVALID]: HttpStatus.BAD_REQUEST,
  [IdempotencyExceptionCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [IdempotencyExceptionCode.IDEMPOTENCY_REQUEST_IN_PROGRESS]: HttpStatus.CONFLICT,
  [AuditExceptionCode.AUDIT_INVALID_CURSOR]: HttpStatus.BAD_REQUEST,

  [EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED]: HttpStatus.UNAUTHORIZED,
  [EmergencyExceptionCode.EMERGENCY_ACCOUNT_LOCKED]: HttpStatus.LOCKED,
  [EmergencyExceptionCode.EMERGENCY_RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [EmergencyExceptionCode.BREAK_GLASS_ACCOUNT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [EmergencyExceptionCode.BREAK_GLASS_USERNAME_TAKEN]: HttpStatus.CONFLICT,
  [EmergencyExceptionCode.EMERGENCY_PARTNER_NOT_FOUND]: HttpStatus.NOT_FOUND,

  [NotificationExceptionCode.NOTIFICATION_INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
  [NotificationExceptionCode.NOTIFICATION_RECIPIENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [NotificationExceptionCode.NOTIFICATION_PARTNER_NOT_FOUND]: HttpStatus.NOT_FOUND,
};

export function httpStatusOfDomainCode(code: string): HttpStatus {
  return (
    (DOMAIN_ERROR_STATUS as Record<string, HttpStatus | undefined>)[code] ?? HttpStatus.INTERNAL_SERVER_ERROR
  );
}
