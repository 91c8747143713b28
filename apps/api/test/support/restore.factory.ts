import {
  emptyRestoreCounts,
  type RestoreAction,
  type RestoreCounts,
  type RestoreCredential,
  type RestorePlanSummary,
  type RestoreRun,
} from '@entra-backup/common';

export const RESTORE_TENANT = '6b1a4c2e-0f3d-4e5a-9b8c-7d6e5f4a3b2c';
export const RESTORE_PLAN = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
export const RESTORE_RUN = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

/** A ready plan of RESTORE_TENANT into itself; override any field. */
export function buildRestorePlan(overrides: Partial<RestorePlanSummary> = {}): RestorePlanSummary {
  return {
    planId: RESTORE_PLAN,
    tenantId: RESTORE_TENANT,
    targetTenantId: RESTORE_TENANT,
    snapshotId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    liveSnapshotId: 'f5e4d3c2-b1a0-4f9e-8d7c-6b5a4f3e2d1c',
    status: 'ready',
    selection: { types: ['users', 'groups'], relationships: true, removeNew: false },
    planned: 3,
    byAction: { restoreDeleted: 1, update: 1, addLink: 1 },
    unrecoverable: [],
    missingPermissions: [],
    createdAt: '2026-12-07T09:00:00.000Z',
    actor: 'cli:tester',
    ...overrides,
  };
}

export function buildRestoreCounts(overrides: Partial<RestoreCounts> = {}): RestoreCounts {
  return { ...emptyRestoreCounts(), ...overrides };
}

/** A completed restore of RESTORE_PLAN; override any field. */
export function buildRestoreRun(overrides: Partial<RestoreRun> = {}): RestoreRun {
  return {
    restoreId: RESTORE_RUN,
    planId: RESTORE_PLAN,
    tenantId: RESTORE_TENANT,
    targetTenantId: RESTORE_TENANT,
    snapshotId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    status: 'completed',
    actor: 'cli:tester',
    preRestoreSnapshotId: '0f1e2d3c-4b5a-4968-8776-655443322110',
    counts: buildRestoreCounts({ restoredDeleted: 1, updated: 1, linksAdded: 1 }),
    idMap: {},
    reason: null,
    startedAt: '2026-12-07T09:01:00.000Z',
    finishedAt: '2026-12-07T09:02:00.000Z',
    ...overrides,
  };
}

/** A pending `update` of a user; override any field. */
export function buildRestoreAction(overrides: Partial<RestoreAction> = {}): RestoreAction {
  return {
    seq: 1,
    action: 'update',
    type: 'users',
    collection: 'users',
    id: '11111111-2222-4333-8444-555555555555',
    displayName: 'Adele Vance',
    properties: ['jobTitle', 'department'],
    link: null,
    reason: null,
    state: 'pending',
    newId: null,
    error: null,
    ...overrides,
  };
}

export function buildRestoreCredential(overrides: Partial<RestoreCredential> = {}): RestoreCredential {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    newId: '66666666-7777-4888-9999-000000000000',
    userPrincipalName: 'adele@contoso.test',
    temporaryPassword: 'Tmp-9f2K!x7Qp',
    ...overrides,
  };
}
