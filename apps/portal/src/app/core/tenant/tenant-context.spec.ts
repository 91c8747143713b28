import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  PARTNER_ROLE_PERMISSIONS,
  PERMISSIONS,
  type PartnerRole,
  type SessionResponse,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import { PARTNER_ID, buildSession, buildStaffSession } from '../../testing/builders';
import { loadSession } from '../../testing/session';
import { SessionStore } from '../session/session-store';
import { TENANT_CONTEXT_STORAGE, TenantContext } from './tenant-context';

const OWN_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CUSTOMER = '11111111-2222-3333-4444-555555555555';
const OTHER_PARTNER = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

/** A Storage kept in memory, as a tab's session storage. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe(TenantContext.name, () => {
  let storage: MemoryStorage;

  beforeEach(() => {
    storage = new MemoryStorage();
  });

  async function create(session: SessionResponse): Promise<TenantContext> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: TENANT_CONTEXT_STORAGE, useValue: storage },
      ],
    });
    await loadSession(TestBed.inject(SessionStore), TestBed.inject(HttpTestingController), session);
    return TestBed.inject(TenantContext);
  }

  function allowed(sut: TenantContext): string[] {
    return PERMISSIONS.filter((p) => sut.can(p));
  }

  it("puts a tenant admin in their own tenant with the tenant admin's permissions", async () => {
    const sut = await create(buildSession());

    expect(sut.tenantId()).toBe(OWN_TENANT);
    expect(sut.isOwnTenant()).toBe(true);
    expect(sut.multiTenant()).toBe(false);
    expect(allowed(sut)).toEqual(PERMISSIONS.filter((p) => TENANT_ADMIN_PERMISSIONS.includes(p)));
    expect(sut.can('partner-link:manage')).toBe(true);
  });

  it('keeps a tenant admin in their own tenant: another cannot be opened', async () => {
    const sut = await create(buildSession());

    expect(sut.open(CUSTOMER)).toBe(false);

    expect(sut.tenantId()).toBe(OWN_TENANT);
  });

  it('gives a break-glass account browse and restore of its tenant only', async () => {
    const session = buildSession();
    const sut = await create({
      ...session,
      user: { ...session.user!, kind: 'emergency', tenantAdmin: false, roles: [] },
    });

    expect(sut.tenantId()).toBe(OWN_TENANT);
    expect(allowed(sut)).toEqual(['tenants:read', 'restores:run']);
  });

  it('has no tenant for partner staff until they open one, then the permissions of their role', async () => {
    const sut = await create(buildStaffSession());
    expect(sut.tenantId()).toBeUndefined();
    expect(allowed(sut)).toEqual([]);

    expect(sut.open(CUSTOMER.toUpperCase(), PARTNER_ID)).toBe(true);

    expect(sut.tenantId()).toBe(CUSTOMER);
    expect(sut.isOwnTenant()).toBe(false);
    expect(sut.partnerId()).toBe(PARTNER_ID);
    expect(allowed(sut)).toEqual(PERMISSIONS.filter((p) => PARTNER_ROLE_PERMISSIONS.owner.includes(p)));
    expect(sut.can('partner-link:manage')).toBe(false);
  });

  it.each<[PartnerRole, boolean, boolean, boolean]>([
    ['owner', true, true, true],
    ['admin', true, true, true],
    ['operator', true, false, false],
    ['viewer', false, false, false],
  ])('offers a partner %s backups %s, settings %s, exports %s', async (role, backups, settings, exports) => {
    const sut = await create(
      buildStaffSession({ partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role }] }),
    );
    sut.open(CUSTOMER);

    expect(sut.can('tenants:read')).toBe(true);
    expect(sut.can('backups:start')).toBe(backups);
    expect(sut.can('settings:write')).toBe(settings);
    expect(sut.can('exports:download')).toBe(exports);
  });

  it('counts the role at the partner a tenant was opened through, else the lowest of several', async () => {
    const sut = await create(
      buildStaffSession({
        partners: [
          { partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'viewer' },
          { partnerId: OTHER_PARTNER, partnerName: 'Tailspin', role: 'owner' },
        ],
      }),
    );

    sut.open(CUSTOMER, OTHER_PARTNER);
    expect(sut.can('backups:start')).toBe(true);
    // The same tenant reached again by a link without the partner keeps it.
    sut.open(CUSTOMER);
    expect(sut.partnerId()).toBe(OTHER_PARTNER);

    sut.open('22222222-3333-4444-5555-666666666666');
    expect(sut.partnerId()).toBeUndefined();
    expect(sut.can('tenants:read')).toBe(true);
    expect(sut.can('backups:start')).toBe(false);
  });

  it('answers partner-level permissions from the role at that partner', async () => {
    const sut = await create(
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'admin' }],
      }),
    );

    expect(sut.canOnPartner(PARTNER_ID, 'customers:onboard')).toBe(true);
    expect(sut.canOnPartner(PARTNER_ID, 'staff:manage')).toBe(false);
    expect(sut.canOnPartner(OTHER_PARTNER, 'tenants:read')).toBe(false);
  });

  it('puts staff who administer their own tenant there first, and back there when they choose it', async () => {
    const sut = await create(buildStaffSession({ tenantAdmin: true }));
    const own = '3c6e1f0a-9d8b-4c7a-8e6f-5a4b3c2d1e0f';
    expect(sut.tenantId()).toBe(own);
    expect(sut.can('partner-link:manage')).toBe(true);

    sut.open(CUSTOMER);
    expect(sut.can('partner-link:manage')).toBe(false);

    sut.open(own);
    expect(sut.isOwnTenant()).toBe(true);
    expect(sut.can('settings:write')).toBe(true);
  });

  it('refuses what is not a tenant id', async () => {
    const sut = await create(buildStaffSession());

    expect(sut.open('not-a-tenant')).toBe(false);

    expect(sut.tenantId()).toBeUndefined();
  });

  it("restores the tab's tenant (a page opened in a new tab from a link), but not another person's", async () => {
    storage.setItem(
      'entra-backup.tenant-context',
      JSON.stringify({ upn: 'sam@northwind.test', tenantId: CUSTOMER, partnerId: PARTNER_ID }),
    );
    const sut = await create(buildStaffSession());
    expect(sut.tenantId()).toBe(CUSTOMER);
    expect(sut.partnerId()).toBe(PARTNER_ID);

    TestBed.resetTestingModule();
    const other = await create(buildStaffSession({ upn: 'kim@northwind.test' }));
    expect(other.tenantId()).toBeUndefined();
  });

  it('keeps the opened tenant in the storage for the next page load', async () => {
    const sut = await create(buildStaffSession());

    sut.open(CUSTOMER, PARTNER_ID);

    expect(JSON.parse(storage.getItem('entra-backup.tenant-context')!)).toEqual({
      upn: 'sam@northwind.test',
      tenantId: CUSTOMER,
      partnerId: PARTNER_ID,
    });
  });
});
