import {
  OBJECT_TYPE_KEYS,
  OBJECT_TYPES,
  allObjectTypesOff,
  objectTypeLabel,
  parseObjectTypeList,
} from './object-types';

describe('object types', () => {
  it('lists the 14 keys in portal order', () => {
    expect(OBJECT_TYPE_KEYS).toEqual([
      'users',
      'groups',
      'builtInRoles',
      'customRoles',
      'appRegistrations',
      'enterpriseApps',
      'conditionalAccessPolicies',
      'devices',
      'deviceConfigurations',
      'deviceCompliancePolicies',
      'adminUnits',
      'signInLogs',
      'auditLogs',
      'bitlockerKeys',
    ]);
    expect(objectTypeLabel('enterpriseApps')).toBe('Enterprise applications');
    expect(objectTypeLabel('adminUnits')).toBe('Admin units');
  });

  it('labels every type in sentence case, keeping product names as Microsoft writes them', () => {
    expect(OBJECT_TYPES.map((t) => t.label)).toEqual([
      'Users',
      'Groups',
      'Built-in roles',
      'Custom roles',
      'App registrations',
      'Enterprise applications',
      'Conditional Access policies',
      'Devices',
      'Device configurations',
      'Device compliance policies',
      'Admin units',
      'Sign-in logs',
      'Audit logs',
      'BitLocker keys',
    ]);
    // Only the first word and the product names (Conditional Access, BitLocker) are capitalised.
    for (const { label } of OBJECT_TYPES) {
      const rest = label
        .replace(/Conditional Access|BitLocker/g, '')
        .split(/[\s-]+/)
        .slice(1);
      expect(rest.filter((word) => /^[A-Z]/.test(word))).toEqual([]);
    }
  });

  it('switches every type off by default', () => {
    const off = allObjectTypesOff();
    expect(Object.keys(off)).toHaveLength(14);
    expect(Object.values(off).every((v) => v === false)).toBe(true);
  });

  it('parses lists, all, and names every unknown key', () => {
    expect(parseObjectTypeList('users, groups,users')).toEqual({ ok: true, keys: ['users', 'groups'] });
    expect(parseObjectTypeList('all')).toEqual({ ok: true, keys: [...OBJECT_TYPE_KEYS] });
    expect(parseObjectTypeList('users,bogus,nope')).toEqual({ ok: false, unknown: ['bogus', 'nope'] });
    expect(parseObjectTypeList(' , ')).toEqual({ ok: false, unknown: [' , '] });
  });
});
