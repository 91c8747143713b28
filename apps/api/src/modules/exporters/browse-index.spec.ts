import { OBJECT_TYPE_KEYS } from '@entra-backup/common';
import { browseSpecOf, MISSING_SORT_KEY, sortKeyOf, summarizeObject } from './browse-index';
import { BROWSE_MAX_COLUMNS, valueAt } from './browse-spec';
import { DESCRIPTORS } from './registry';

describe('browse specs', () => {
  const collections = OBJECT_TYPE_KEYS.flatMap((type) =>
    DESCRIPTORS[type].collections.map((c) => [type, c.name] as const),
  );

  it.each(collections)('%s %s has at most eight columns with distinct keys', (type, collection) => {
    const spec = browseSpecOf(type, collection);
    expect(spec.columns.length).toBeGreaterThan(0);
    expect(spec.columns.length).toBeLessThanOrEqual(BROWSE_MAX_COLUMNS);
    expect(new Set(spec.columns.map((c) => c.key)).size).toBe(spec.columns.length);
    if (spec.timeColumn !== undefined) expect(spec.columns.map((c) => c.key)).toContain(spec.timeColumn);
  });

  it.each(collections)('%s %s never indexes a secret field', (type, collection) => {
    const secrets = DESCRIPTORS[type].secretFields;
    const spec = browseSpecOf(type, collection);
    const paths = [
      ...spec.columns.flatMap((c) => (typeof c.value === 'string' ? [c.value] : [])),
      ...spec.search,
      ...(spec.altId === undefined ? [] : [spec.altId]),
    ];
    for (const path of paths) for (const secret of secrets) expect(path.split('.')).not.toContain(secret);
  });
});

describe(summarizeObject.name, () => {
  it("names a group's kind, membership and member count as the admin center does", () => {
    const summary = summarizeObject('h', 'groups', 'groups', {
      id: 'g1',
      displayName: 'Sales',
      groupTypes: ['Unified', 'DynamicMembership'],
      mailEnabled: true,
      securityEnabled: false,
      members: [{ id: 'u1' }, { id: 'u2' }],
      owners: [{ id: 'u3' }],
    });
    expect(JSON.parse(summary.display)).toMatchObject({
      displayName: 'Sales',
      groupType: 'Microsoft 365',
      membershipType: 'Dynamic',
      memberCount: 2,
    });
    expect(summary.refs).toBe('\nmembers:u1\nmembers:u2\nowners:u3\n');
    expect(summary.search).toBe('g1\nsales');
  });

  it('shows a group setting as name=value pairs and a lifecycle policy with its lifetime and emails', () => {
    const setting = summarizeObject('h', 'groups', 'groupSettings', {
      id: 's1',
      displayName: 'Group.Unified',
      templateId: '62375ab9-6b52-47ed-826b-58e47e0e304b',
      values: [
        { name: 'PrefixSuffixNamingRequirement', value: 'GRP_[GroupName]' },
        { name: 'EnableGroupCreation', value: 'false' },
      ],
    });
    expect(JSON.parse(setting.display)).toMatchObject({
      displayName: 'Group.Unified',
      values: 'PrefixSuffixNamingRequirement=GRP_[GroupName]; EnableGroupCreation=false',
    });
    const policy = summarizeObject('h', 'groups', 'groupLifecyclePolicies', {
      id: 'l1',
      groupLifetimeInDays: 180,
      managedGroupTypes: 'Selected',
      alternateNotificationEmails: 'admin@contoso.com',
    });
    expect(JSON.parse(policy.display)).toMatchObject({
      groupLifetimeInDays: 180,
      managedGroupTypes: 'Selected',
      alternateNotificationEmails: 'admin@contoso.com',
    });
  });

  it('names the authentication contexts a Conditional Access policy requires', () => {
    const summary = summarizeObject('h', 'conditionalAccessPolicies', 'policies', {
      id: 'p1',
      displayName: 'Trusted device for sensitive actions',
      conditions: { applications: { includeAuthenticationContextClassReferences: ['c1'] } },
    });
    expect(summary.refs).toBe('\nincludeAuthenticationContextClassReferences:c1\n');
  });

  it('keeps a BitLocker key out of every column, the search text and the references', () => {
    const key = '123456-234567-345678-456789-567890-678901-789012-890123';
    const summary = summarizeObject('h', 'bitlockerKeys', 'recoveryKeys', { id: 'k1', deviceId: 'd1', key });
    expect(JSON.stringify(summary)).not.toContain(key);
  });

  it('orders missing values after every text and numbers numerically', () => {
    const users = summarizeObject('h', 'users', 'users', { id: 'u1', displayName: 'Ada' });
    expect(users.sortKeys[2]).toBe(MISSING_SORT_KEY);
    expect('zzz' < MISSING_SORT_KEY).toBe(true);
    const nine = sortKeyOf({ kind: 'number' }, 9)!;
    const ten = sortKeyOf({ kind: 'number' }, 10)!;
    expect(nine < ten).toBe(true);
    expect(valueAt({ a: { b: 1 } }, 'a.b')).toBe(1);
  });
});
