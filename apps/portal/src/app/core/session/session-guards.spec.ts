import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  type ActivatedRouteSnapshot,
  type CanActivateFn,
  Router,
  type RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';
import type { SessionResponse } from '@entra-backup/common';
import { PARTNER_ID, buildSession, buildStaffSession } from '../../testing/builders';
import { loadSession } from '../../testing/session';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../tenant/tenant-context';
import {
  activeTenantSettingsGuard,
  adminGuard,
  landingGuard,
  onlyPartnerGuard,
  partnerGuard,
  partnerMemberGuard,
} from './session-guards';
import { SessionStore } from './session-store';

const OWN_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CUSTOMER = '11111111-2222-3333-4444-555555555555';
const OTHER_CUSTOMER = '22222222-3333-4444-5555-666666666666';

@Component({ selector: 'eb-page-stub', template: '' })
class PageStub {}

describe('session guards', () => {
  let http: HttpTestingController;

  async function withSession(session: SessionResponse): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
  }

  function run(guard: CanActivateFn, route: Partial<ActivatedRouteSnapshot> = {}): string | true {
    const result = TestBed.runInInjectionContext(() =>
      guard(route as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    );
    if (result === true) return true;
    if (result instanceof UrlTree) return result.toString();
    throw new Error('unexpected guard result');
  }

  const signedOut: SessionResponse = { authenticated: false, demoMode: true, csrfToken: null };
  const member = (): SessionResponse => {
    const s = buildSession();
    return { ...s, user: { ...s.user!, roles: [], hasAccess: false, tenantAdmin: false } };
  };

  it('sends signed-out visitors of admin pages to the landing page', async () => {
    await withSession(signedOut);
    expect(run(adminGuard)).toBe('/');
    expect(run(landingGuard)).toBe(true);
    expect(run(partnerGuard)).toBe('/');
  });

  it('sends users without an admin role to "no access"', async () => {
    await withSession(member());
    expect(run(adminGuard)).toBe('/no-access');
    expect(run(landingGuard)).toBe('/no-access');
    expect(run(partnerGuard)).toBe('/no-access');
  });

  it('lets admins in and takes them from the landing page to their backups', async () => {
    await withSession(buildSession());
    expect(run(landingGuard)).toBe('/backups');
    expect(run(activeTenantSettingsGuard, { queryParams: {} })).toBe(`/settings/${OWN_TENANT}`);
  });

  it('keeps tenant admins out of the partner portal', async () => {
    await withSession(buildSession());
    expect(run(partnerGuard)).toBe('/backups');
  });

  it('takes partner staff without a tenant of their own from the landing page to the partner portal', async () => {
    await withSession(buildStaffSession());
    expect(run(landingGuard)).toBe('/partner');
    expect(run(partnerGuard)).toBe(true);
  });

  it('takes staff who also administer their own tenant to its backups', async () => {
    await withSession(buildStaffSession({ tenantAdmin: true }));
    expect(run(landingGuard)).toBe('/backups');
    expect(run(partnerGuard)).toBe(true);
  });

  it("opens the only partner's dashboard, and lets those with several choose", async () => {
    await withSession(buildStaffSession());
    expect(run(onlyPartnerGuard)).toBe(`/partner/${PARTNER_ID}`);

    TestBed.resetTestingModule();
    await withSession(
      buildStaffSession({
        partners: [
          { partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'owner' },
          { partnerId: 'p-2', partnerName: 'Tailspin', role: 'viewer' },
        ],
      }),
    );
    expect(run(onlyPartnerGuard)).toBe(true);
  });

  it("sends staff from another partner's pages to their own", async () => {
    await withSession(buildStaffSession());
    const params = (partnerId: string) =>
      ({ paramMap: { get: (name: string) => (name === 'partnerId' ? partnerId : null) } }) as never;
    expect(run(partnerMemberGuard, params(PARTNER_ID))).toBe(true);
    expect(run(partnerMemberGuard, params('someone-else'))).toBe('/partner');
  });

  it('treats an unreachable service as signed out and keeps the reason', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(SessionStore);
    const loaded = store.load();
    http.expectOne('/api/auth/session').error(new ProgressEvent('error'), { status: 0, statusText: '' });
    await loaded;
    expect(store.signedIn()).toBe(false);
    expect(store.loadError()).toContain('cannot be reached');
    expect(run(adminGuard)).toBe('/');
  });

  describe('the tenant in the URL', () => {
    let router: Router;

    async function navigator(session: SessionResponse): Promise<void> {
      TestBed.configureTestingModule({
        providers: [
          provideHttpClient(),
          provideHttpClientTesting(),
          { provide: TENANT_CONTEXT_STORAGE, useValue: null },
          provideRouter([
            { path: 'partner', component: PageStub },
            {
              path: 'backups',
              canActivate: [adminGuard],
              runGuardsAndResolvers: 'always',
              component: PageStub,
            },
            {
              path: 'explore',
              canActivate: [adminGuard],
              runGuardsAndResolvers: 'always',
              component: PageStub,
            },
            {
              path: 'settings',
              canActivate: [adminGuard],
              runGuardsAndResolvers: 'always',
              children: [
                { path: '', canActivate: [activeTenantSettingsGuard], component: PageStub },
                { path: ':tenantId', component: PageStub },
              ],
            },
          ]),
        ],
      });
      await loadSession(TestBed.inject(SessionStore), TestBed.inject(HttpTestingController), session);
      router = TestBed.inject(Router);
    }

    function context(): TenantContext {
      return TestBed.inject(TenantContext);
    }

    it('sends staff who have not opened a tenant to the partner portal', async () => {
      await navigator(buildStaffSession());

      await router.navigateByUrl('/backups');

      expect(router.url).toBe('/partner');
    });

    it('opens the tenant the URL names, and keeps it on the next tenant page', async () => {
      await navigator(buildStaffSession());

      await router.navigateByUrl(`/backups?tenant=${CUSTOMER}`);
      expect(router.url).toBe(`/backups?tenant=${CUSTOMER}`);
      expect(context().tenantId()).toBe(CUSTOMER);

      // A link inside the portal names no tenant: the active one is added.
      await router.navigateByUrl('/explore?snapshot=latest');
      expect(router.url).toBe(`/explore?snapshot=latest&tenant=${CUSTOMER}`);
    });

    it('switches tenant when only the query changes (the back button to another customer)', async () => {
      await navigator(buildStaffSession());
      await router.navigateByUrl(`/backups?tenant=${CUSTOMER}`);

      await router.navigateByUrl(`/backups?tenant=${OTHER_CUSTOMER}`);

      expect(context().tenantId()).toBe(OTHER_CUSTOMER);
    });

    it('names the own tenant too for staff who administer it, so every page in the history says which', async () => {
      await navigator(buildStaffSession({ tenantAdmin: true }));

      await router.navigateByUrl('/backups');

      expect(router.url).toBe('/backups?tenant=3c6e1f0a-9d8b-4c7a-8e6f-5a4b3c2d1e0f');
    });

    it("opens Settings at the tenant of its path, and `/settings` at the active tenant's", async () => {
      await navigator(buildStaffSession());

      await router.navigateByUrl(`/settings/${OTHER_CUSTOMER}`);
      expect(router.url).toBe(`/settings/${OTHER_CUSTOMER}?tenant=${OTHER_CUSTOMER}`);
      expect(context().tenantId()).toBe(OTHER_CUSTOMER);

      await router.navigateByUrl('/settings');
      expect(router.url).toBe(`/settings/${OTHER_CUSTOMER}?tenant=${OTHER_CUSTOMER}`);
    });

    it('leaves the URLs of a tenant admin as they were, without a tenant parameter', async () => {
      await navigator(buildSession());

      await router.navigateByUrl('/backups');
      expect(router.url).toBe('/backups');

      await router.navigateByUrl(`/explore?tenant=${CUSTOMER}`);
      expect(router.url).toBe('/explore');
      expect(context().tenantId()).toBe(OWN_TENANT);

      await router.navigateByUrl('/settings');
      expect(router.url).toBe(`/settings/${OWN_TENANT}`);
    });
  });
});
