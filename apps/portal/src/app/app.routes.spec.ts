import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, Router, provideRouter } from '@angular/router';
import { routes } from './app.routes';
import { BackupsPage } from './backups/backups-page';
import { TENANT_CONTEXT_STORAGE, TenantContext } from './core/tenant/tenant-context';
import { OnboardPage } from './onboard/onboard-page';
import { OnboardingLinksPage } from './partner/onboarding-links-page';
import { PartnerDashboardPage } from './partner/partner-dashboard-page';
import { StaffPage } from './partner/staff-page';
import { PARTNER_ID, buildStaffSession } from './testing/builders';
import { SessionStore } from './core/session/session-store';
import { ObjectPage } from './explore/object-page';
import { AsOfPage } from './history/as-of-page';
import { HistoryPage } from './history/history-page';
import { loadSession } from './testing/session';

describe('app routes', () => {
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter(routes)],
    });
    await loadSession(TestBed.inject(SessionStore), TestBed.inject(HttpTestingController));
    router = TestBed.inject(Router);
  });

  /** The component of the deepest route that the URL activates (undefined: none renders). */
  async function pageAt(url: string): Promise<unknown> {
    expect(await router.navigateByUrl(url)).toBe(true);
    let leaf: ActivatedRouteSnapshot = router.routerState.snapshot.root;
    while (leaf.firstChild !== null) leaf = leaf.firstChild;
    return leaf.component ?? undefined;
  }

  it('opens the object page at /objects/:type/:collection/:objectId', async () => {
    expect(await pageAt('/objects/users/users/5f7c1c1e-1111-4a4a-9b9b-000000000001?snapshot=3')).toBe(
      ObjectPage,
    );
  });

  it("opens an object's version history and its membership as of a date beside it", async () => {
    const object = '/objects/groups/groups/5f7c1c1e-1111-4a4a-9b9b-000000000002';
    expect(await pageAt(`${object}/history`)).toBe(HistoryPage);
    expect(await pageAt(`${object}/as-of?date=2026-12-01`)).toBe(AsOfPage);
  });
});

describe('app routes for partner staff', () => {
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter(routes),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    await loadSession(
      TestBed.inject(SessionStore),
      TestBed.inject(HttpTestingController),
      buildStaffSession(),
    );
    router = TestBed.inject(Router);
  });

  async function pageAt(url: string): Promise<unknown> {
    expect(await router.navigateByUrl(url)).toBe(true);
    let leaf: ActivatedRouteSnapshot = router.routerState.snapshot.root;
    while (leaf.firstChild !== null) leaf = leaf.firstChild;
    return leaf.component ?? undefined;
  }

  it('opens the partner portal: the dashboard, its onboarding links and its staff', async () => {
    expect(await pageAt('/')).toBe(PartnerDashboardPage);
    expect(router.url).toBe(`/partner/${PARTNER_ID}`);
    expect(await pageAt(`/partner/${PARTNER_ID}/onboarding`)).toBe(OnboardingLinksPage);
    expect(await pageAt(`/partner/${PARTNER_ID}/staff`)).toBe(StaffPage);
  });

  it("opens a customer's backups from a shared link, and keeps the customer on the next page", async () => {
    const customer = '11111111-2222-3333-4444-555555555555';
    expect(await pageAt(`/backups?tenant=${customer}`)).toBe(BackupsPage);

    await pageAt('/restores');

    expect(router.url).toBe(`/restores?tenant=${customer}`);
    expect(TestBed.inject(TenantContext).tenantId()).toBe(customer);
  });

  it('opens an invitation to anyone', async () => {
    expect(await pageAt('/onboard/tok_4f9c2a')).toBe(OnboardPage);
  });
});
