import { InitialSchema1764133200000 } from './1764133200000-initial-schema';
import { BackupStorage1764136800000 } from './1764136800000-backup-storage';
import { AuthConsentSchedule1764147600000 } from './1764147600000-auth-consent-schedule';
import { BackupRunReport1764151200000 } from './1764151200000-backup-run-report';
import { Restore1765094400000 } from './1765094400000-restore';
import { BrowseIndex1765108800000 } from './1765108800000-browse-index';
import { LogEntryTargets1765116000000 } from './1765116000000-log-entry-targets';
import { Principals1765123200000 } from './1765123200000-principals';
import { PartnerOnboarding1765126800000 } from './1765126800000-partner-onboarding';
import { ApiKeysIdempotency1765130400000 } from './1765130400000-api-keys-idempotency';
import { AuditLog1765134000000 } from './1765134000000-audit-log';
import { EmergencyAccess1765137600000 } from './1765137600000-emergency-access';
import { ReconciliationPolicy1765141200000 } from './1765141200000-reconciliation-policy';
import { Retention1765144800000 } from './1765144800000-retention';
import { Alerts1765148400000 } from './1765148400000-alerts';
import { SecretReads1765155600000 } from './1765155600000-secret-reads';

/** Every migration, oldest first. Append new migrations here (one line each). */
export const MIGRATIONS = [
  InitialSchema1764133200000,
  BackupStorage1764136800000,
  AuthConsentSchedule1764147600000,
  BackupRunReport1764151200000,
  Restore1765094400000,
  BrowseIndex1765108800000,
  LogEntryTargets1765116000000,
  Principals1765123200000,
  PartnerOnboarding1765126800000,
  ApiKeysIdempotency1765130400000,
  AuditLog1765134000000,
  EmergencyAccess1765137600000,
  ReconciliationPolicy1765141200000,
  Retention1765144800000,
  Alerts1765148400000,
  SecretReads1765155600000,
];
