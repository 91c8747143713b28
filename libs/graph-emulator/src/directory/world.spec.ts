import { AdjustableClock } from '../shared/world-port';
import { createWorld } from './world';

describe(createWorld.name, () => {
  const clock = new AdjustableClock();

  it('creates deterministic tenants with the demo tenant first', () => {
    const sut = createWorld({ seed: 5, tenants: 3, usersPerTenant: 50, clock, nonPremiumTenants: [2] });
    const again = createWorld({ seed: 5, tenants: 3, usersPerTenant: 50, clock });
    const tenants = sut.listTenants();
    expect(tenants.map((t) => t.tenantId)).toEqual(again.listTenants().map((t) => t.tenantId));
    expect(tenants[0]).toMatchObject({
      displayName: 'Contoso Demo',
      defaultDomain: 'contosodemo.onmicrosoft.com',
      premium: true,
    });
    expect(tenants[2]!.premium).toBe(false);
    expect(sut.getTenant(tenants[1]!.tenantId.toUpperCase())?.displayName).toBe('Fabrikam');
  });

  it('creates a million-user tenant without generating its objects', () => {
    const before = process.memoryUsage().heapUsed;
    const sut = createWorld({ seed: 1, tenants: 1, usersPerTenant: 1_000_000, clock });
    const tenant = sut.directory(sut.listTenants()[0]!.tenantId)!;
    expect(tenant.collection('users').count()).toBe(1_000_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    const last = tenant.collection('users').at(999_999)!;
    expect(sut.findUser(tenant.tenantId, String(last['userPrincipalName']))?.id).toBe(last['id']);
  });

  it('rejects non-premium indexes that name no tenant', () => {
    expect(() =>
      createWorld({ seed: 1, tenants: 2, usersPerTenant: 5, clock, nonPremiumTenants: [2] }),
    ).toThrow(/nonPremiumTenants holds 2, which is not a tenant index \(0\.\.1\)/);
  });

  it('names every invalid option in one message', () => {
    expect(() => createWorld({ seed: 1.5, tenants: 0, usersPerTenant: 0, clock })).toThrow(
      /seed must be an integer.*usersPerTenant.*tenants must be/,
    );
  });

  it('resets changes back to the generated state', () => {
    const sut = createWorld({ seed: 1, tenants: 1, usersPerTenant: 20, clock });
    const tenantId = sut.listTenants()[0]!.tenantId;
    const user = sut.directory(tenantId)!.collection('users').at(0)!;
    sut.directory(tenantId)!.update('users', String(user['id']), { jobTitle: 'Changed' });
    sut.reset();
    expect(sut.directory(tenantId)!.collection('users').get(String(user['id']))!['jobTitle']).toBe(
      user['jobTitle'],
    );
  });
});
