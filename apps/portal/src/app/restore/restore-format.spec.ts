import {
  countsSummary,
  groupActions,
  queryFromRequest,
  requestFromQuery,
  restoreOutcome,
  writesConditionalAccess,
} from './restore-format';
import { NEW_USER_ID, USER_ID, buildAction, buildCounts, buildRestoreRun } from './restore-testing';

describe('restore-format', () => {
  describe(groupActions.name, () => {
    it('groups the plan by action in the plan order, with the counts of the whole plan', () => {
      const items = [
        buildAction({ seq: 0, action: 'skip', reason: 'Synchronised from on-premises' }),
        buildAction({ seq: 1, action: 'update' }),
        buildAction({ seq: 2, action: 'recreate', id: 'g1', type: 'groups' }),
        buildAction({ seq: 3, action: 'update', id: 'u2' }),
      ];

      const groups = groupActions({ update: 12, recreate: 1, skip: 1 }, items);

      expect(groups.map((g) => [g.kind, g.label, g.count, g.items.map((a) => a.seq)])).toEqual([
        ['recreate', 'Re-create with a new id', 1, [2]],
        ['update', 'Update properties', 12, [1, 3]],
        ['skip', 'Skip', 1, [0]],
      ]);
    });
  });

  describe(writesConditionalAccess.name, () => {
    it('warns when a policy is written, not when it is only skipped', () => {
      const written = buildAction({ type: 'conditionalAccessPolicies', action: 'recreate' });
      const skipped = buildAction({ type: 'conditionalAccessPolicies', action: 'skip' });
      expect(writesConditionalAccess([written], ['conditionalAccessPolicies'], true)).toBe(true);
      expect(writesConditionalAccess([skipped], ['conditionalAccessPolicies'], true)).toBe(false);
      // A cut list may hide a policy action.
      expect(writesConditionalAccess([], ['conditionalAccessPolicies'], false)).toBe(true);
      expect(writesConditionalAccess([], ['users'], false)).toBe(false);
    });
  });

  describe(requestFromQuery.name, () => {
    it('reads the wizard query as the API plan request', () => {
      expect(
        requestFromQuery({
          snapshot: '12',
          types: 'users',
          ids: `${USER_ID}`,
          properties: 'department,jobTitle',
        }),
      ).toEqual({
        ok: true,
        request: {
          snapshotId: '12',
          types: ['users'],
          ids: [USER_ID],
          properties: ['department', 'jobTitle'],
          relationships: true,
          removeNew: false,
        },
      });
      expect(requestFromQuery({})).toEqual({
        ok: true,
        request: { snapshotId: 'latest', relationships: true, removeNew: false },
      });
    });

    it('names what is wrong with a bad query', () => {
      expect(requestFromQuery({ types: 'users,unicorns' })).toEqual({
        ok: false,
        error: 'Unknown object type(s): unicorns',
      });
      const properties = requestFromQuery({ types: 'users', properties: 'department' });
      expect(properties.ok).toBe(false);
    });

    it('round-trips through queryFromRequest (the undo link)', () => {
      const request = {
        snapshotId: 'snap-14',
        types: ['users' as const],
        ids: [USER_ID, NEW_USER_ID],
        relationships: false,
        removeNew: true,
      };
      const query = queryFromRequest(request);
      expect(query).toEqual({
        snapshot: 'snap-14',
        types: 'users',
        ids: `${USER_ID},${NEW_USER_ID}`,
        relationships: 'false',
        removeNew: 'true',
      });
      expect(requestFromQuery(query)).toEqual({ ok: true, request });
    });
  });

  it('summarises the counts of a restore', () => {
    expect(countsSummary(buildCounts({ recreated: 2, updated: 1, failed: 1 }))).toBe(
      '2 re-created · 1 updated · 1 failed',
    );
    expect(countsSummary(buildCounts())).toBe('Nothing written');
  });

  it("lists a restore's re-created, skipped and failed objects", () => {
    const recreated = buildAction({ seq: 1, action: 'recreate', state: 'done', newId: NEW_USER_ID });
    const skipped = buildAction({ seq: 2, action: 'skip', state: 'skipped', reason: 'Synchronised' });
    const failed = buildAction({
      seq: 3,
      state: 'failed',
      error: { code: 'Request_BadRequest', message: 'Property is read-only' },
    });
    const done = buildAction({ seq: 4, state: 'done' });

    const outcome = restoreOutcome(buildRestoreRun(), [recreated, skipped, failed, done]);

    expect(outcome.restored).toEqual([done]);
    expect(outcome.recreated).toEqual([{ action: recreated, newId: NEW_USER_ID }]);
    expect(outcome.skipped).toEqual([skipped]);
    expect(outcome.failed).toEqual([failed]);
  });
});
