import { OBJECT_TYPE_KEYS, allObjectTypesOff, objectTypeLabel, parseObjectTypeList } from './object-types';

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
    expect(objectTypeLabel('enterpriseApps')).toBe('Enterprise Applications');
    expect(objectTypeLabel('adminUnits')).toBe('Admin units');
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
