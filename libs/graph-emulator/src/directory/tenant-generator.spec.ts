import { BUILT_IN_ROLES, GLOBAL_ADMINISTRATOR } from './catalog';
import { TenantGenerator } from './tenant-generator';

const spec = {
  index: 0,
  tenantId: '00000000-0000-4000-8000-000000000001',
  displayName: 'Contoso Demo',
  domain: 'contosodemo.onmicrosoft.com',
  users: 20_000,
  premium: true,
};

describe(TenantGenerator.name, () => {
  const sut = new TenantGenerator(42, spec, Date.UTC(2026, 10, 20));

  it('is deterministic for a seed and differs across seeds', () => {
    expect(new TenantGenerator(42, spec, Date.UTC(2026, 10, 20)).user(123)).toEqual(sut.user(123));
    expect(new TenantGenerator(43, spec, Date.UTC(2026, 10, 20)).user(123)['id']).not.toBe(
      sut.user(123)['id'],
    );
  });

  it('gives users unique userPrincipalNames that map back to their ordinal', () => {
    const upns = new Set<string>();
    for (let o = 0; o < 20_000; o += 7) {
      const upn = sut.userPrincipalName(o);
      upns.add(upn.toLowerCase());
      expect(sut.userOrdinalByUpn(upn)).toBe(o);
    }
    expect(upns.size).toBe(Math.ceil(20_000 / 7));
    expect(sut.userOrdinalByUpn('nobody@contosodemo.onmicrosoft.com')).toBeUndefined();
  });

  it('builds a manager tree without cycles', () => {
    for (let o = 1; o < 2000; o++) {
      const seen = new Set<number>([o]);
      let m = sut.managerOrdinal(o);
      while (m !== undefined) {
        expect(seen.has(m)).toBe(false);
        seen.add(m);
        m = sut.managerOrdinal(m);
      }
    }
  });

  it('nests groups only into lower ordinals and gives dynamic groups a membership rule', () => {
    for (let g = 0; g < sut.counts.groups; g++) {
      for (const member of sut.groupMembers(g)) {
        const nested = sut.scheme('groups').decode(member, sut.counts.groups);
        if (nested !== undefined) expect(nested).toBeLessThan(g);
      }
    }
    const dynamic = sut.group(9);
    expect(dynamic['groupTypes']).toEqual(['DynamicMembership']);
    expect(dynamic['membershipRule']).toContain('user.department -eq');
  });

  it('keeps real built-in role template ids and assigns at least two Global Administrators', () => {
    expect(sut.roleDefinition(0)['id']).toBe(GLOBAL_ADMINISTRATOR);
    expect(BUILT_IN_ROLES.length).toBeGreaterThanOrEqual(30);
    const gas = Array.from({ length: sut.counts.roleAssignments }, (_, i) => sut.roleAssignment(i)).filter(
      (a) => a['roleDefinitionId'] === GLOBAL_ADMINISTRATOR,
    );
    expect(gas.length).toBeGreaterThanOrEqual(2);
  });

  it('ties BitLocker keys to Windows devices and formats the recovery password', () => {
    for (let k = 0; k < 50; k++) {
      const device = sut.device(sut.deviceOfKey(k));
      expect(device['operatingSystem']).toBe('Windows');
      expect(sut.bitlockerRecoveryKey(k)['deviceId']).toBe(device['deviceId']);
    }
    expect(sut.bitlockerKeyValue(3)).toMatch(/^(\d{6}-){7}\d{6}$/);
  });

  it('scales the tenant from its user count', () => {
    expect(sut.counts.groups).toBe(1000);
    expect(sut.counts.devices).toBe(12_000);
    expect(sut.counts.bitlockerRecoveryKeys).toBe(7200);
  });

  it('answers membership questions consistently with the generated member lists', () => {
    for (const g of [1, 9, 11, 19, 21, 37]) {
      const members = new Set(sut.groupMembers(g));
      for (let u = 0; u < 600; u++)
        expect(sut.groupContains(g, 'users', u)).toBe(members.has(sut.id('users', u)));
      for (let d = 0; d < 50; d++)
        expect(sut.groupContains(g, 'devices', d)).toBe(members.has(sut.id('devices', d)));
    }
  });
});
