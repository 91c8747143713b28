import {
  type RestoreAction,
  type RestoreCounts,
  type RestorePlanSummary,
  type RestoreRun,
  emptyRestoreCounts,
} from '@entra-backup/common';

/** Test data for the restore pages, in the shape the API sends. */
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const PLAN_ID = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
export const RESTORE_ID = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';
export const USER_ID = '11111111-2222-4333-8444-555555555555';
export const NEW_USER_ID = '99999999-8888-4777-8666-555555555555';

export function buildPlan(overrides: Partial<RestorePlanSummary> = {}): RestorePlanSummary {
  return {
    planId: PLAN_ID,
    tenantId: TENANT_ID,
    targetTenantId: TENANT_ID,
    snapshotId: 'snap-12',
    liveSnapshotId: 'snap-13',
    status: 'ready',
    selection: { types: ['users', 'groups'], relationships: true, removeNew: false },
    planned: 3,
    byAction: { recreate: 1, update: 1, skip: 1 },
    unrecoverable: [],
    missingPermissions: [],
    createdAt: '2026-12-07T09:00:00.000Z',
    actor: 'user:ada@contoso.test',
    ...overrides,
  };
}

export function buildAction(overrides: Partial<RestoreAction> = {}): RestoreAction {
  return {
    seq: 0,
    action: 'update',
    type: 'users',
    collection: 'users',
    id: USER_ID,
    displayName: 'Adele Vance',
    properties: ['department'],
    link: null,
    reason: null,
    state: 'pending',
    newId: null,
    error: null,
    ...overrides,
  };
}

export function buildCounts(overrides: Partial<RestoreCounts> = {}): RestoreCounts {
  return { ...emptyRestoreCounts(), ...overrides };
}

export function buildRestoreRun(overrides: Partial<RestoreRun> = {}): RestoreRun {
  return {
    restoreId: RESTORE_ID,
    planId: PLAN_ID,
    tenantId: TENANT_ID,
    targetTenantId: TENANT_ID,
    snapshotId: 'snap-12',
    status: 'completed',
    actor: 'user:ada@contoso.test',
    preRestoreSnapshotId: 'snap-14',
    counts: buildCounts({ recreated: 1, updated: 1 }),
    idMap: {},
    reason: null,
    startedAt: '2026-12-07T09:01:00.000Z',
    finishedAt: '2026-12-07T09:02:00.000Z',
    ...overrides,
  };
}

export function page<T>(items: T[], total = items.length) {
  return { items, total, page: 1, pageSize: 500 };
}
