import {
  type BackupRunListItem,
  type BackupRunSummary,
  type BackupTypeResult,
  type ConsentStatusResponse,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  type ScheduleResponse,
  type SessionResponse,
  type SettingsResponse,
  type SettingsStatusResponse,
  type TenantResponse,
  allObjectTypesOff,
} from '@entra-backup/common';

/** Test data in the shape the API sends, with overridable fields. */
export function buildTenant(overrides: Partial<TenantResponse> = {}): TenantResponse {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    displayName: 'Contoso',
    createdAt: '2026-11-20T09:30:00.000Z',
    updatedAt: '2026-11-20T09:30:00.000Z',
    ...overrides,
  };
}

export function buildSettings(overrides: Partial<SettingsResponse> = {}): SettingsResponse {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    enabledTypes: allObjectTypesOff(),
    updatedAt: '2026-11-20T09:30:00.000Z',
    ...overrides,
  };
}

/** The API's error body, as sent with every 4xx/5xx. */
export function buildErrorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, message, correlationId: '0f5c2a9e-6a52-4b0b-9a34-3b1e2f0c1d11' };
}

/** Settings with permission status, as `GET /api/tenants/:id/settings` answers. */
export function buildSettingsStatus(
  overrides: {
    enabledTypes?: Partial<Record<ObjectTypeKey, boolean>>;
    consentGranted?: boolean;
    tenantId?: string;
  } = {},
): SettingsStatusResponse {
  const consentGranted = overrides.consentGranted ?? true;
  const enabledTypes = { ...allObjectTypesOff(), ...overrides.enabledTypes };
  return {
    ...buildSettings({
      enabledTypes,
      ...(overrides.tenantId !== undefined ? { tenantId: overrides.tenantId } : {}),
    }),
    consentGranted,
    types: Object.fromEntries(
      OBJECT_TYPE_KEYS.map((key) => [
        key,
        {
          enabled: enabledTypes[key],
          permissionsGranted: consentGranted,
          requiredPermissions: ['User.Read.All'],
        },
      ]),
    ) as SettingsStatusResponse['types'],
  };
}

export function buildConsent(overrides: Partial<ConsentStatusResponse> = {}): ConsentStatusResponse {
  const granted = overrides.granted ?? false;
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    granted,
    readPermissions: [
      { permission: 'User.Read.All', granted },
      { permission: 'Group.Read.All', granted },
    ],
    writePermissions: [{ permission: 'User.ReadWrite.All', granted }],
    missing: granted ? [] : ['User.Read.All', 'Group.Read.All', 'User.ReadWrite.All'],
    ...(granted ? { grantedAt: '2026-11-20T10:00:00.000Z', grantedBy: 'admin@contoso.test' } : {}),
    ...overrides,
  };
}

export function buildSchedule(overrides: Partial<ScheduleResponse> = {}): ScheduleResponse {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    active: true,
    nextRunAt: '2026-11-20T21:30:00.000Z',
    lastRunAt: null,
    lastRunId: null,
    lastError: null,
    intervalHours: 12,
    offsetMinutes: 90,
    firstFullBackupDueBy: '2026-11-20T21:30:00.000Z',
    lastFullBackupAt: null,
    ...overrides,
  };
}

export function buildSession(overrides: Partial<SessionResponse> = {}): SessionResponse {
  return {
    authenticated: true,
    demoMode: false,
    csrfToken: 'csrf-token-1',
    user: {
      name: 'Ada Admin',
      upn: 'ada@contoso.test',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      objectId: '5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
      roles: ['Global Administrator'],
      hasAccess: true,
      kind: 'person',
      tenantAdmin: true,
      partners: [],
    },
    ...overrides,
  };
}

export function buildTypeResult(overrides: Partial<BackupTypeResult> = {}): BackupTypeResult {
  return { status: 'succeeded', objects: 40, added: 40, changed: 0, removed: 0, requests: 2, ...overrides };
}

export function buildSummary(overrides: Partial<BackupRunSummary> = {}): BackupRunSummary {
  return {
    runId: 'run-1',
    snapshotId: 'snapshot-1',
    status: 'completed',
    mode: 'full',
    trigger: 'manual',
    actor: 'user:ada@contoso.test',
    counts: { users: 40 },
    types: { users: buildTypeResult() },
    requests: 2,
    retries: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    bytesStored: 2048,
    durationMs: 3500,
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:03.500Z',
    ...overrides,
  };
}

export function buildRun(overrides: Partial<BackupRunListItem> = {}): BackupRunListItem {
  return {
    runId: 'run-1',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    status: 'completed',
    mode: 'full',
    trigger: 'manual',
    actor: 'user:ada@contoso.test',
    types: ['users'],
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:03.500Z',
    reason: null,
    summary: buildSummary(),
    ...overrides,
  };
}
