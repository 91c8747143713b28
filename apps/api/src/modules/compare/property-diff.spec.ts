import { MASKED_SECRET } from '@entra-backup/common';
import { diffProperties, displayNameOf } from './property-diff';

const user = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });

describe(diffProperties.name, () => {
  it('answers each changed top-level value old → new, added and dropped properties with one side', () => {
    expect(
      diffProperties(
        { id: 'u1', department: 'Sales', jobTitle: 'Rep', accountEnabled: true },
        { id: 'u1', department: 'Marketing', accountEnabled: true, mobilePhone: '+1 555' },
      ),
    ).toEqual([
      { kind: 'value', path: 'department', old: 'Sales', new: 'Marketing' },
      { kind: 'value', path: 'jobTitle', old: 'Rep' },
      { kind: 'value', path: 'mobilePhone', new: '+1 555' },
    ]);
  });

  it('walks nested objects and names the nested property by its path', () => {
    const policy = (state: string, include: string[]) => ({
      id: 'p1',
      state,
      conditions: { users: { includeUsers: include, excludeUsers: [] }, clientAppTypes: ['all'] },
    });
    expect(diffProperties(policy('enabled', ['All']), policy('disabled', ['u1', 'u2']))).toEqual([
      { kind: 'value', path: 'conditions.users.includeUsers', old: ['All'], new: ['u1', 'u2'] },
      { kind: 'value', path: 'state', old: 'enabled', new: 'disabled' },
    ]);
  });

  it('shows a relationship list as the references added and removed, whatever their order', () => {
    expect(
      diffProperties(
        { id: 'g1', members: [user('a'), user('b'), user('c')] },
        { id: 'g1', members: [user('c'), user('d'), user('a')] },
      ),
    ).toEqual([
      {
        kind: 'references',
        path: 'members',
        added: [{ id: 'd', kind: 'user' }],
        removed: [{ id: 'b', kind: 'user' }],
      },
    ]);
    expect(diffProperties({ members: [user('a'), user('b')] }, { members: [user('b'), user('a')] })).toEqual(
      [],
    );
  });

  it('shows a single reference (a manager) replaced as one removed and one added', () => {
    expect(diffProperties({ manager: user('m1') }, { manager: user('m2') })).toEqual([
      {
        kind: 'references',
        path: 'manager',
        added: [{ id: 'm2', kind: 'user' }],
        removed: [{ id: 'm1', kind: 'user' }],
      },
    ]);
    expect(diffProperties({ manager: user('m1') }, { manager: null })).toEqual([
      { kind: 'references', path: 'manager', added: [], removed: [{ id: 'm1', kind: 'user' }] },
    ]);
  });

  it('compares lists of objects with ids item by item', () => {
    const assignment = (id: string, intent: string) => ({ id, intent, target: { groupId: 'g' } });
    expect(
      diffProperties(
        { assignments: [assignment('a1', 'apply'), assignment('a2', 'apply')] },
        { assignments: [assignment('a1', 'remove'), assignment('a3', 'apply')] },
      ),
    ).toEqual([
      { kind: 'value', path: 'assignments[a1].intent', old: 'apply', new: 'remove' },
      { kind: 'value', path: 'assignments[a2]', old: assignment('a2', 'apply') },
      { kind: 'value', path: 'assignments[a3]', new: assignment('a3', 'apply') },
    ]);
  });

  it("masks the type's secret fields, at the top and nested in a value", () => {
    expect(diffProperties({ key: '111-222' }, { key: '333-444' }, ['key'])).toEqual([
      { kind: 'value', path: 'key', old: MASKED_SECRET, new: MASKED_SECRET },
    ]);
    expect(diffProperties({ keys: ['x'] }, { keys: [{ key: 'secret', volumeType: 1 }] }, ['key'])).toEqual([
      { kind: 'value', path: 'keys', old: ['x'], new: [{ key: MASKED_SECRET, volumeType: 1 }] },
    ]);
  });

  it('answers nothing for equal objects', () => {
    expect(diffProperties({ a: { b: [1, 2] }, c: null }, { c: null, a: { b: [1, 2] } })).toEqual([]);
  });
});

describe(displayNameOf.name, () => {
  it('prefers the display name, then the sign-in name, then the id', () => {
    expect(displayNameOf({ displayName: 'Ada', userPrincipalName: 'ada@x' }, 'id')).toBe('Ada');
    expect(displayNameOf({ displayName: '', userPrincipalName: 'ada@x' }, 'id')).toBe('ada@x');
    expect(displayNameOf({ principalId: 'p' }, 'id')).toBe('id');
    expect(displayNameOf(undefined, 'id')).toBe('id');
  });
});
