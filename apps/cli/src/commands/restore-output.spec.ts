import {
  buildRestoreAction,
  buildRestoreCounts,
  buildRestoreCredential,
  buildRestorePlan,
  buildRestoreRun,
  RESTORE_RUN,
  RESTORE_TENANT,
} from '../../../api/test/support/restore.factory';
import {
  countsText,
  CREDENTIALS_HEADING,
  credentialLine,
  dryRunActionLine,
  dryRunSummaryLine,
  failedActionLine,
  nothingToRestoreLine,
  planSummaryText,
  planTableHeader,
  planTableRow,
  renderCredentials,
  renderRestoreRuns,
  restoreResultLine,
  restoreResultText,
} from './restore-output';

const GROUP = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const OTHER_TENANT = '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';

describe('dry-run JSON lines', () => {
  it('prints an action with exactly the six keys, in order', () => {
    const line = dryRunActionLine(
      buildRestoreAction({ reason: 'written disabled', state: 'done', newId: 'x' }),
    );

    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).toBe(
      '{"action":"update","type":"users","id":"11111111-2222-4333-8444-555555555555",' +
        '"displayName":"Adele Vance","properties":["jobTitle","department"],"reason":"written disabled"}',
    );
  });

  it('prints a link as relation:targetId in properties', () => {
    const line = dryRunActionLine(
      buildRestoreAction({
        action: 'addLink',
        type: 'groups',
        collection: 'groups',
        id: GROUP,
        displayName: null,
        properties: ['members'],
        link: { relation: 'members', targetId: 'u-1', targetType: 'users' },
      }),
    );

    expect(JSON.parse(line)).toEqual({
      action: 'addLink',
      type: 'groups',
      id: GROUP,
      displayName: null,
      properties: ['members:u-1'],
      reason: null,
    });
  });

  it('ends with the plan summary: planned, counts by action in action order, unrecoverables', () => {
    const unrecoverable = [
      { type: 'users' as const, id: 'u-9', displayName: 'Gone', reason: 'hard-deleted' },
    ];
    const plan = buildRestorePlan({
      planned: 4,
      byAction: { skip: 1, addLink: 2, update: 1, remove: 0 },
      unrecoverable,
    });

    expect(dryRunSummaryLine(plan)).toBe(
      `${JSON.stringify({ planned: 4, byAction: { update: 1, addLink: 2, skip: 1 }, unrecoverable })}\n`,
    );
  });
});

describe('dry-run table', () => {
  it('keeps fixed columns so rows line up without reading the whole plan first', () => {
    const rows = [
      planTableHeader(),
      planTableRow(buildRestoreAction()),
      planTableRow(
        buildRestoreAction({ action: 'restoreDeleted', type: 'conditionalAccessPolicies', properties: [] }),
      ),
    ];
    const starts = (line: string, text: string) => line.indexOf(text);

    expect(rows[0]).toMatch(/^ACTION\s+TYPE\s+ID\s+NAME\s+PROPERTIES\/LINK\s+REASON\n$/);
    expect(starts(rows[1]!, '11111111')).toBe(starts(rows[0]!, 'ID'));
    expect(starts(rows[2]!, '11111111')).toBe(starts(rows[0]!, 'ID'));
    expect(starts(rows[1]!, 'jobTitle,department')).toBe(starts(rows[0]!, 'PROPERTIES/LINK'));
  });

  it('cuts long names and property lists, never the reason', () => {
    const row = planTableRow(
      buildRestoreAction({
        action: 'skip',
        displayName: 'N'.repeat(50),
        properties: Array.from({ length: 20 }, (_, i) => `property${i}`),
        reason: 'a reason that is long and must be printed in full, however long it is',
      }),
    );

    expect(row).toContain(`${'N'.repeat(31)}…`);
    expect(row).not.toContain('N'.repeat(32));
    expect(row).not.toContain('property19');
    expect(row.trimEnd().endsWith('however long it is')).toBe(true);
  });
});

describe('plan summary', () => {
  it('counts the actions by kind', () => {
    expect(countsText(buildRestorePlan())).toBe('3 actions: restoreDeleted 1, update 1, addLink 1');
    expect(countsText(buildRestorePlan({ planned: 0, byAction: {} }))).toBe('0 actions');
  });

  it('lists what cannot be restored and the permissions consent lacks', () => {
    const text = planSummaryText(
      buildRestorePlan({
        targetTenantId: OTHER_TENANT,
        unrecoverable: [
          { type: 'users', id: 'u-9', displayName: 'Gone', reason: 'hard-deleted more than 30 days ago' },
        ],
        missingPermissions: ['User.ReadWrite.All'],
      }),
    );

    expect(text.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Plan \\S+: snapshot \\S+ of tenant ${RESTORE_TENANT} into tenant ${OTHER_TENANT} \\(as new\\): 3 actions: `,
        ),
      ),
      'Cannot be restored (1):',
      '  users u-9 (Gone): hard-deleted more than 30 days ago',
      expect.stringContaining('has not granted the write permission(s) User.ReadWrite.All'),
      '',
    ]);
  });
});

describe('restore result', () => {
  it('prints exactly restoreId, status, counts (every schema key) and idMap', () => {
    const run = buildRestoreRun({
      status: 'partial',
      counts: buildRestoreCounts({ recreated: 1, failed: 2 }),
      idMap: { 'old-1': 'new-1' },
    });

    expect(JSON.parse(restoreResultLine(run))).toEqual({
      restoreId: RESTORE_RUN,
      status: 'partial',
      counts: {
        restoredDeleted: 0,
        recreated: 1,
        updated: 0,
        linksAdded: 0,
        linksRemoved: 0,
        removed: 0,
        skipped: 0,
        failed: 2,
      },
      idMap: { 'old-1': 'new-1' },
    });
    expect(Object.keys(JSON.parse(restoreResultLine(run)) as object)).toEqual([
      'restoreId',
      'status',
      'counts',
      'idMap',
    ]);
  });

  it('says so when there was nothing to restore', () => {
    expect(JSON.parse(nothingToRestoreLine())).toMatchObject({
      restoreId: null,
      status: 'completed',
      idMap: {},
    });
  });

  it('tells a person the figures, the new ids and how to undo', () => {
    const text = restoreResultText(buildRestoreRun({ idMap: { 'old-1': 'new-1' } }));

    expect(text).toContain(
      `Restore ${RESTORE_RUN} into tenant ${RESTORE_TENANT} completed: 1 restored from the recycle bin`,
    );
    expect(text).toMatch(/^old-1\s+new-1$/m);
    expect(text).toContain(
      `entra-backup restore ${RESTORE_TENANT} --snapshot 0f1e2d3c-4b5a-4968-8776-655443322110`,
    );
  });
});

describe('temporary passwords', () => {
  it('prints one credential object per line in JSON mode', () => {
    expect(JSON.parse(credentialLine(buildRestoreCredential()))).toEqual({
      credential: {
        id: '11111111-2222-4333-8444-555555555555',
        newId: '66666666-7777-4888-9999-000000000000',
        userPrincipalName: 'adele@contoso.test',
        temporaryPassword: 'Tmp-9f2K!x7Qp',
      },
    });
  });

  it('prints a table under the once-only heading', () => {
    const lines = renderCredentials([buildRestoreCredential()]).split('\n');

    expect(lines[1]).toBe(CREDENTIALS_HEADING);
    expect(lines[2]).toMatch(/^USER PRINCIPAL NAME\s+OLD ID\s+NEW ID\s+TEMPORARY PASSWORD$/);
    expect(lines[3]).toMatch(/^adele@contoso\.test\s+11111111-\S+\s+66666666-\S+\s+Tmp-9f2K!x7Qp$/);
  });
});

it('describes a failed action with its Graph code', () => {
  expect(
    failedActionLine(
      buildRestoreAction({
        action: 'recreate',
        state: 'failed',
        error: {
          code: 'Request_BadRequest',
          message: 'Another object with the same value for property userPrincipalName already exists.',
        },
      }),
    ),
  ).toBe(
    'users 11111111-2222-4333-8444-555555555555 (Adele Vance): recreate failed: Another object with the same value ' +
      'for property userPrincipalName already exists. (Graph code Request_BadRequest)\n',
  );
});

describe(renderRestoreRuns.name, () => {
  it('lists restores with their changes and failures', () => {
    const table = renderRestoreRuns(RESTORE_TENANT, [
      buildRestoreRun({ counts: buildRestoreCounts({ updated: 2, linksAdded: 3, skipped: 4, failed: 1 }) }),
    ]);

    expect(table).toMatch(
      /^RESTORE ID\s+STATUS\s+FROM\s+INTO\s+SNAPSHOT\s+STARTED\s+ACTOR\s+CHANGES\s+FAILED$/m,
    );
    expect(table).toMatch(new RegExp(`^${RESTORE_RUN}\\s+completed\\s+.*cli:tester\\s+5\\s+1$`, 'm'));
  });

  it('says when there is none', () => {
    expect(renderRestoreRuns(RESTORE_TENANT, [])).toBe(`Tenant ${RESTORE_TENANT} has no restore yet.\n`);
  });
});
