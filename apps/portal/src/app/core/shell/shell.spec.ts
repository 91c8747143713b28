import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatMenuHarness } from '@angular/material/menu/testing';
import { Router, provideRouter } from '@angular/router';
import { CSRF_HEADER } from '@entra-backup/common';
import { PARTNER_ID, buildSession, buildStaffSession, buildTenant } from '../../testing/builders';
import { TENANTS_URL } from '../../tenants/tenants.api';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../tenant/tenant-context';
import { loadSession } from '../../testing/session';
import { sessionInterceptor } from '../http/session.interceptor';
import { LOGOUT_URL, SessionStore } from '../session/session-store';
import { Shell } from './shell';

const CUSTOMER = '11111111-2222-3333-4444-555555555555';

@Component({ selector: 'eb-home-stub', template: '<p>home page</p>' })
class HomeStub {}

@Component({ selector: 'eb-backups-stub', template: '<p>backups page</p>' })
class BackupsStub {}

@Component({ selector: 'eb-settings-stub', template: '<p>settings page</p>' })
class SettingsStub {}

describe(Shell.name, () => {
  let fixture: ComponentFixture<Shell>;
  let loader: HarnessLoader;
  let router: Router;
  let http: HttpTestingController;
  let store: SessionStore;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: '', component: HomeStub },
          { path: 'backups', component: BackupsStub },
          { path: 'settings', component: SettingsStub },
          { path: 'partner/:partnerId', component: HomeStub },
        ]),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(SessionStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => http.verify());

  async function render(session = buildSession(), url = '/settings'): Promise<void> {
    await loadSession(store, http, session);
    fixture = TestBed.createComponent(Shell);
    loader = TestbedHarnessEnvironment.loader(fixture);
    await router.navigateByUrl(url);
    TestBed.tick();
    await answerTenantReads();
  }

  /** Answers the shell's reads of the active tenant (for its name). */
  async function answerTenantReads(displayName = 'Contoso'): Promise<void> {
    TestBed.tick();
    for (const read of http.match((r) => r.url.startsWith(`${TENANTS_URL}/`))) {
      read.flush(buildTenant({ tenantId: read.request.url.split('/').pop()!, displayName }));
    }
    await fixture.whenStable();
  }

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  it('shows the product title', async () => {
    await render();
    expect(root().querySelector('mat-toolbar')?.textContent).toContain('Entra Backup');
  });

  it('opens the product menu from the labelled top-left button and goes to the backups from it', async () => {
    await render();
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[aria-label="Product menu"]' }));

    await menu.open();
    const items = await menu.getItems();
    expect(await Promise.all(items.map((i) => i.getText()))).toEqual(['backupBackup for Entra ID']);

    await items[0]!.click();
    await fixture.whenStable();
    expect(router.url).toBe('/backups');
    expect(root().textContent).toContain('backups page');
  });

  it('opens Settings from the labelled gear button', async () => {
    await render();
    await router.navigateByUrl('/');
    await fixture.whenStable();

    const gear = root().querySelector<HTMLAnchorElement>('a[aria-label="Settings"]');
    expect(gear?.getAttribute('href')).toBe('/settings');
    gear!.click();
    await vi.waitFor(() => expect(router.url).toBe('/settings'));
    await answerTenantReads();

    expect(router.url).toBe('/settings');
    expect(root().textContent).toContain('settings page');
  });

  it('shows the signed-in user and signs out with the CSRF header', async () => {
    await render();
    expect(root().querySelector('.user')?.textContent).toContain('Ada Admin');

    const signOut = Array.from(root().querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === 'Sign out',
    );
    signOut!.click();
    const request = http.expectOne({ method: 'POST', url: LOGOUT_URL });
    expect(request.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() => expect(router.url).toBe('/'));
    await fixture.whenStable();

    expect(store.signedIn()).toBe(false);
    expect(root().querySelector('.user')).toBeNull();
    expect(root().querySelector('a[aria-label="Settings"]')).toBeNull();
  });

  it('hides Settings and the user for signed-out visitors', async () => {
    await render({ authenticated: false, demoMode: false, csrfToken: null });
    expect(root().querySelector('a[aria-label="Settings"]')).toBeNull();
    expect(root().textContent).not.toContain('Sign out');
    expect(root().querySelector('[aria-label="Product menu"]')).not.toBeNull();
  });

  it('hides Settings from signed-in users without an admin role', async () => {
    const session = buildSession();
    await render({ ...session, user: { ...session.user!, roles: [], hasAccess: false } });
    expect(root().querySelector('a[aria-label="Settings"]')).toBeNull();
    expect(root().textContent).toContain('Sign out');
  });

  it('says clearly when the service runs in demo mode', async () => {
    await render(buildSession({ demoMode: true }));
    expect(root().querySelector('.demo-chip')?.textContent).toContain('Demo mode');
  });

  it('shows no demo notice against the Microsoft cloud', async () => {
    await render();
    expect(root().querySelector('.demo-chip')).toBeNull();
  });

  it('offers a skip link to the main content for keyboard users', async () => {
    await render();
    const skip = root().querySelector<HTMLAnchorElement>('a.skip-link');
    expect(skip?.getAttribute('href')).toBe('#main-content');
    expect(root().querySelector('main#main-content')).not.toBeNull();
  });

  it('opens the audit log from its tab', async () => {
    await render();
    const tab = Array.from(root().querySelectorAll<HTMLAnchorElement>('nav.tabs a')).find(
      (a) => a.textContent?.trim() === 'Audit log',
    );
    expect(tab?.getAttribute('href')).toBe('/audit');
    expect(root().querySelector('.emergency-banner')).toBeNull();
  });

  it('says clearly when the session is emergency access, and offers only browse, restore and audit', async () => {
    const session = buildSession();
    await render({
      ...session,
      user: { ...session.user!, name: 'break.glass', kind: 'emergency', tenantAdmin: false },
    });

    const banner = root().querySelector('.emergency-banner');
    expect(banner?.getAttribute('role')).toBe('status');
    expect(banner?.textContent).toContain('Emergency access.');
    expect(banner?.textContent).toContain('break.glass');
    const tabs = Array.from(root().querySelectorAll('nav.tabs a')).map((a) => a.textContent?.trim());
    expect(tabs).toEqual(['Backups', 'Explore', 'Restores', 'Audit log']);
    expect(root().querySelector('a[aria-label="Settings"]')).toBeNull();
  });

  it('links the restore history from the Restores tab', async () => {
    await render();
    const tab = Array.from(root().querySelectorAll<HTMLAnchorElement>('nav.tabs a')).find(
      (a) => a.textContent?.trim() === 'Restores',
    );
    expect(tab?.getAttribute('href')).toBe('/restores');
  });

  it("shows the active tenant's name above the tabs", async () => {
    await render();

    const bar = root().querySelector('[role="region"][aria-label="Active tenant"]');
    expect(bar?.querySelector('.tenant-label')?.textContent).toBe('Tenant:');
    expect(bar?.querySelector('.tenant-name')?.textContent?.trim()).toBe('Contoso');
    // A tenant admin has only their own tenant: nothing to switch.
    expect(bar?.querySelector('button')).toBeNull();
  });

  it("lets partner staff switch to their own tenant or back to their partner's customers", async () => {
    await render(buildStaffSession({ tenantAdmin: true }), '/settings');
    TestBed.inject(TenantContext).open(CUSTOMER, PARTNER_ID);
    await answerTenantReads('Fabrikam');

    const switcher = await loader.getHarness(MatMenuHarness.with({ selector: '.tenant-switch' }));
    expect(await switcher.getTriggerText()).toContain('Fabrikam');
    await switcher.open();
    const items = await switcher.getItems();
    expect(await Promise.all(items.map((i) => i.getText()))).toEqual([
      'homeYour own tenant',
      'groupsCustomers of Northwind IT',
    ]);

    await items[1]!.click();
    await fixture.whenStable();
    expect(router.url).toBe(`/partner/${PARTNER_ID}`);
    // The partner portal is not a tenant's page: no tenant bar, no tenant tabs.
    expect(root().querySelector('[aria-label="Active tenant"]')).toBeNull();
    expect(root().querySelector('nav.tabs')).toBeNull();
  });

  it('offers partner staff the partner portal in the product menu', async () => {
    await render(buildStaffSession(), `/partner/${PARTNER_ID}`);
    const menu = await loader.getHarness(MatMenuHarness.with({ selector: '[aria-label="Product menu"]' }));

    await menu.open();
    const items = await menu.getItems();
    expect(await Promise.all(items.map((i) => i.getText()))).toEqual([
      'backupBackup for Entra ID',
      'handshakePartner portal',
    ]);
    // No tenant opened yet: no Settings of a tenant.
    expect(root().querySelector('a[aria-label="Settings"]')).toBeNull();
  });
});
