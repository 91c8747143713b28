import type { AuditMatch } from '@entra-backup/common';
import {
  buildTimeline,
  type DecodedVersion,
  diffObjects,
  matchAudit,
  type SnapshotTime,
  type TimelineEvent,
  toAuditMatch,
} from './history-timeline';

const OPTIONS = { secretFields: ['key'], relationNames: new Set(['members', 'owners']) };
const user = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });

function snapshots(count: number): SnapshotTime[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `snap-${i + 1}`,
    seq: i + 1,
    createdAt: new Date(Date.UTC(2026, 10, 1 + i, 8)),
  }));
}

function version(from: number, to: number | null, object: Record<string, unknown>): DecodedVersion {
  return { validFromSeq: from, validToSeq: to, object };
}

describe('diffObjects', () => {
  it('lists changed properties old → new, absent sides omitted, sorted', () => {
    const sut = diffObjects(
      { id: 'u', department: 'Sales', jobTitle: 'Rep' },
      { id: 'u', department: 'Marketing', city: 'Oslo', jobTitle: 'Rep' },
      OPTIONS,
    );

    expect(sut.changes).toEqual([
      { property: 'city', path: 'city', masked: false, after: 'Oslo' },
      { property: 'department', path: 'department', masked: false, before: 'Sales', after: 'Marketing' },
    ]);
    expect(sut.relationships).toEqual([]);
  });

  it('compares nested objects property by property and keeps arrays whole', () => {
    const sut = diffObjects(
      { passwordProfile: { forceChangePasswordNextSignIn: false, x: 1 }, businessPhones: ['1'] },
      { passwordProfile: { forceChangePasswordNextSignIn: true, x: 1 }, businessPhones: ['1', '2'] },
      OPTIONS,
    );

    expect(sut.changes).toEqual([
      { property: 'businessPhones', path: 'businessPhones', masked: false, before: ['1'], after: ['1', '2'] },
      {
        property: 'passwordProfile',
        path: 'passwordProfile.forceChangePasswordNextSignIn',
        masked: false,
        before: false,
        after: true,
      },
    ]);
  });

  it('masks secret fields: the change is listed without its values', () => {
    const sut = diffObjects({ key: '111-222' }, { key: '333-444' }, OPTIONS);

    expect(sut.changes).toEqual([{ property: 'key', path: 'key', masked: true }]);
  });

  it('reports members added and removed instead of a list change, and a manager replaced', () => {
    const sut = diffObjects(
      { members: [user('a'), user('b')], manager: user('m1') },
      { members: [user('b'), user('c')], manager: user('m2') },
      OPTIONS,
    );

    expect(sut.changes).toEqual([]);
    expect(sut.relationships).toEqual([
      {
        relation: 'manager',
        action: 'added',
        id: 'm2',
        kind: 'user',
        displayName: null,
        type: null,
        collection: null,
      },
      {
        relation: 'manager',
        action: 'removed',
        id: 'm1',
        kind: 'user',
        displayName: null,
        type: null,
        collection: null,
      },
      {
        relation: 'members',
        action: 'added',
        id: 'c',
        kind: 'user',
        displayName: null,
        type: null,
        collection: null,
      },
      {
        relation: 'members',
        action: 'removed',
        id: 'a',
        kind: 'user',
        displayName: null,
        type: null,
        collection: null,
      },
    ]);
  });

  it('treats a first owner of an empty list and a manager set from null as relationships', () => {
    const sut = diffObjects(
      { owners: [], manager: null },
      { owners: [user('o')], manager: user('m') },
      OPTIONS,
    );

    expect(sut.relationships.map((r) => `${r.relation}:${r.action}:${r.id}`)).toEqual([
      'manager:added:m',
      'owners:added:o',
    ]);
  });
});

describe('buildTimeline', () => {
  it('gives created, each change and the deletion, newest first, with their snapshots', () => {
    const sut = buildTimeline(
      [version(1, 3, { id: 'u', department: 'Sales' }), version(3, 4, { id: 'u', department: 'Marketing' })],
      snapshots(5),
      OPTIONS,
    );

    expect(
      sut.map((e) => [e.kind, e.snapshot.seq, e.previousSnapshot?.seq ?? null, e.restoreSnapshotSeq]),
    ).toEqual([
      ['deleted', 4, 3, 3],
      ['changed', 3, 2, 3],
      ['created', 1, null, 1],
    ]);
    expect(sut[1]!.changes).toEqual([
      { property: 'department', path: 'department', masked: false, before: 'Sales', after: 'Marketing' },
    ]);
    expect(sut[1]!.snapshot).toEqual({ id: 'snap-3', seq: 3, takenAt: '2026-11-03T08:00:00.000Z' });
  });

  it('shows a deletion and a restore where a version starts after a gap', () => {
    const sut = buildTimeline(
      [version(1, 2, { id: 'g', members: [user('a')] }), version(4, null, { id: 'g', members: [] })],
      snapshots(4),
      OPTIONS,
    );

    expect(sut.map((e) => e.kind)).toEqual(['restored', 'deleted', 'created']);
    expect(sut[0]!.relationships).toEqual([
      {
        relation: 'members',
        action: 'removed',
        id: 'a',
        kind: 'user',
        displayName: null,
        type: null,
        collection: null,
      },
    ]);
    expect(sut[1]!.restoreSnapshotSeq).toBe(1);
  });

  it('builds 100 versions in order', () => {
    const versions = Array.from({ length: 100 }, (_, i) =>
      version(i + 1, i === 99 ? null : i + 2, { id: 'u', jobTitle: `T${i}` }),
    );

    const sut = buildTimeline(versions, snapshots(100), OPTIONS);

    expect(sut).toHaveLength(100);
    expect(sut[0]!.changes[0]).toMatchObject({ before: 'T98', after: 'T99' });
  });
});

describe('toAuditMatch', () => {
  it('reads initiator, activity and modified properties of a directoryAudit', () => {
    const sut = toAuditMatch({
      id: 'Directory_1',
      activityDateTime: '2026-11-02T10:00:00Z',
      activityDisplayName: 'Update user',
      category: 'UserManagement',
      result: 'success',
      initiatedBy: { user: { id: 'admin', userPrincipalName: 'admin@contoso.com' }, app: null },
      targetResources: [
        {
          id: 'u',
          type: 'User',
          displayName: null,
          userPrincipalName: 'ann@contoso.com',
          modifiedProperties: [
            { displayName: 'Department', oldValue: '["Sales"]', newValue: '["Marketing"]' },
          ],
        },
      ],
    });

    expect(sut).toEqual({
      id: 'Directory_1',
      activityDateTime: '2026-11-02T10:00:00Z',
      activity: 'Update user',
      category: 'UserManagement',
      result: 'success',
      initiatedBy: { kind: 'user', name: 'admin@contoso.com' },
      targets: [
        {
          id: 'u',
          type: 'User',
          displayName: 'ann@contoso.com',
          modifiedProperties: [{ name: 'Department', oldValue: '["Sales"]', newValue: '["Marketing"]' }],
        },
      ],
    });
  });

  it('names an app initiator by its display name', () => {
    const sut = toAuditMatch({
      id: 'x',
      initiatedBy: { user: null, app: { appId: 'a1', displayName: 'Provisioning app' } },
    });

    expect(sut?.initiatedBy).toEqual({ kind: 'app', name: 'Provisioning app' });
  });
});

describe('matchAudit', () => {
  const event = (relationships: TimelineEvent['relationships'] = []): TimelineEvent => ({
    kind: 'changed',
    snapshot: { id: 's3', seq: 3, takenAt: '2026-11-03T08:00:00.000Z' },
    previousSnapshot: { id: 's2', seq: 2, takenAt: '2026-11-02T08:00:00.000Z' },
    restoreSnapshotSeq: 3,
    changes: [],
    relationships,
  });
  const entry = (id: string, at: string, targets: AuditMatch['targets']): AuditMatch => ({
    id,
    activityDateTime: at,
    activity: 'Update group',
    category: null,
    result: 'success',
    initiatedBy: { kind: 'user', name: 'admin@contoso.com' },
    targets,
  });
  const target = (id: string, modified: AuditMatch['targets'][number]['modifiedProperties'] = []) => ({
    id,
    type: null,
    displayName: null,
    modifiedProperties: modified,
  });

  it('keeps entries naming the object inside the window, newest first', () => {
    const entries = [
      entry('before', '2026-11-02T07:59:59Z', [target('g')]),
      entry('early', '2026-11-02T09:00:00Z', [target('g')]),
      entry('late', '2026-11-03T07:00:00Z', [target('G')]),
      entry('other', '2026-11-02T10:00:00Z', [target('x')]),
      entry('after', '2026-11-03T08:00:01Z', [target('g')]),
    ];

    const sut = matchAudit(event(), 'g', entries);

    expect(sut.map((e) => e.id)).toEqual(['late', 'early']);
  });

  it('matches a membership entry that names the member and the group only in its modified properties', () => {
    const added = {
      relation: 'members',
      action: 'added' as const,
      id: 'u1',
      kind: 'user',
      displayName: null,
      type: null,
      collection: null,
    };
    const entries = [
      entry('add', '2026-11-02T12:00:00Z', [
        target('u1', [{ name: 'Group.ObjectID', oldValue: null, newValue: '"g"' }]),
      ]),
      entry('unrelated-user-change', '2026-11-02T12:00:00Z', [target('u1')]),
    ];

    const sut = matchAudit(event([added]), 'g', entries);

    expect(sut.map((e) => e.id)).toEqual(['add']);
  });

  it('does not explain a property change with a relationship change of another object that names it', () => {
    const change = {
      property: 'department',
      path: 'department',
      before: 'Sales',
      after: 'R&D',
      masked: false,
    };
    const changed: TimelineEvent = { ...event(), changes: [change] };
    const entries = [
      entry('update-user', '2026-11-02T12:00:00Z', [
        target('u', [
          { name: 'Department', oldValue: '["Sales"]', newValue: '["R&D"]' },
          { name: 'Included Updated Properties', oldValue: null, newValue: '"Department"' },
        ]),
      ]),
      // The user is a target of a membership change too, but the change is the group's.
      entry('add-to-group', '2026-11-02T13:00:00Z', [
        target('u', [{ name: 'Group.ObjectID', oldValue: null, newValue: '"g"' }]),
        target('g'),
      ]),
      entry('update-without-details', '2026-11-02T14:00:00Z', [target('u')]),
      // Audit names differ from Graph's at times (`Mobile` for `mobilePhone`): still an explanation.
      entry('update-mobile', '2026-11-02T15:00:00Z', [
        target('u', [{ name: 'Mobile', oldValue: '[]', newValue: '["+1 555"]' }]),
      ]),
    ];

    const sut = matchAudit(changed, 'u', entries);

    expect(sut.map((e) => e.id)).toEqual(['update-mobile', 'update-without-details', 'update-user']);
  });
});
