import { BackupRunReportEntity } from './backup-run-report.entity';
import { BackupBlobEntity } from './backup-blob.entity';
import { BackupDeltaStateEntity } from './backup-delta-state.entity';
import { BackupLeaseEntity } from './backup-lease.entity';
import { BackupLogEntryEntity } from './backup-log-entry.entity';
import { BackupLogTargetEntity } from './backup-log-target.entity';
import { BackupLogWatermarkEntity } from './backup-log-watermark.entity';
import { BackupObjectVersionEntity } from './backup-object-version.entity';
import { BackupRunTypeEntity } from './backup-run-type.entity';
import { BackupRunEntity } from './backup-run.entity';
import { BackupSnapshotEntity } from './backup-snapshot.entity';
import { BackupStagedObjectEntity } from './backup-staged-object.entity';
import { AppAuditEventEntity } from './app-audit-event.entity';
import { AuthSessionEntity } from './auth-session.entity';
import { ConsentGrantEntity } from './consent-grant.entity';
import { ConsentStateEntity } from './consent-state.entity';
import { ScheduleStateEntity } from './schedule-state.entity';
import { TenantSettingEntity } from './tenant-setting.entity';
import { TenantEntity } from './tenant.entity';
import { RestoreActionEntity } from './restore-action.entity';
import { RestoreIdMapEntity } from './restore-id-map.entity';
import { RestorePlanEntity } from './restore-plan.entity';
import { RestoreRunEntity } from './restore-run.entity';
import { ObjectSummaryEntity } from './object-summary.entity';
import { ObjectSummaryRefEntity } from './object-summary-ref.entity';
import { PartnerEntity } from './partner.entity';
import { PartnerMemberEntity } from './partner-member.entity';
import { ApiKeyEntity } from './api-key.entity';
import { OnboardingLinkEntity } from './onboarding-link.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { BreakGlassAccountEntity } from './break-glass-account.entity';
import { BackupSecretReadEntity } from './backup-secret-read.entity';
import { EmergencyContactEntity } from './emergency-contact.entity';
import { TenantReconciliationEntity } from './tenant-reconciliation.entity';
import { RetentionPolicyEntity } from './retention-policy.entity';
import { PruneRunEntity } from './prune-run.entity';
import {
  AlertSettingsEntity,
  AlertStateEntity,
  NotificationAttemptEntity,
  NotificationEntity,
  NotificationRecipientEntity,
} from './notification.entity';

export { BackupRunReportEntity };
export { ObjectSummaryEntity, ObjectSummaryRefEntity };
export { RestorePlanEntity, RestoreActionEntity, RestoreRunEntity, RestoreIdMapEntity };
export { AppAuditEventEntity, TenantEntity, TenantSettingEntity, TenantReconciliationEntity };
export { AuthSessionEntity, ConsentGrantEntity, ConsentStateEntity, ScheduleStateEntity };
export {
  BackupRunEntity,
  BackupRunTypeEntity,
  BackupSnapshotEntity,
  BackupObjectVersionEntity,
  BackupBlobEntity,
  BackupStagedObjectEntity,
  BackupLogEntryEntity,
  BackupLogWatermarkEntity,
  BackupDeltaStateEntity,
  BackupLeaseEntity,
};

/** Every entity of the application. Append new entities here (one line each). */
export const ENTITIES = [
  TenantEntity,
  TenantSettingEntity,
  AppAuditEventEntity,
  BackupRunEntity,
  BackupRunTypeEntity,
  BackupSnapshotEntity,
  BackupObjectVersionEntity,
  BackupBlobEntity,
  BackupStagedObjectEntity,
  BackupLogEntryEntity,
  BackupLogWatermarkEntity,
  BackupDeltaStateEntity,
  BackupLeaseEntity,
  AuthSessionEntity,
  ConsentStateEntity,
  ConsentGrantEntity,
  ScheduleStateEntity,
  BackupRunReportEntity,
  RestorePlanEntity,
  RestoreActionEntity,
  RestoreRunEntity,
  RestoreIdMapEntity,
  BackupLogTargetEntity,
  ObjectSummaryEntity,
  ObjectSummaryRefEntity,
  PartnerEntity,
  PartnerMemberEntity,
  ApiKeyEntity,
  OnboardingLinkEntity,
  IdempotencyRecordEntity,
  BreakGlassAccountEntity,
  EmergencyContactEntity,
  NotificationEntity,
  TenantReconciliationEntity,
  RetentionPolicyEntity,
  PruneRunEntity,
  NotificationAttemptEntity,
  NotificationRecipientEntity,
  AlertSettingsEntity,
  AlertStateEntity,
  BackupSecretReadEntity,
];
export { PartnerEntity, PartnerMemberEntity, ApiKeyEntity };
export { BackupLogTargetEntity };
export { OnboardingLinkEntity };
export { IdempotencyRecordEntity };
export { BreakGlassAccountEntity, EmergencyContactEntity, NotificationEntity };
export { RetentionPolicyEntity, PruneRunEntity };
export { NotificationAttemptEntity, NotificationRecipientEntity, AlertSettingsEntity, AlertStateEntity };
export { BackupSecretReadEntity };
