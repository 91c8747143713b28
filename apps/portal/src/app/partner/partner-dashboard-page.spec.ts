import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CSRF_HEADER, type PartnerTenantPage, type SessionResponse } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildErrorBody, buildPartnerTenantRow, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { PARTNER_ROUTES } from './partner.routes';
import { bulkBackupsUrl, bulkSettingsUrl, partnerTenantsUrl } from './partner.api';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FABRIKAM = '11111111-2222-3333-4444-555555555555';
const TAILSPIN = '22222222-3333-4444-5555-666666666666';

@Component({ selector: 'eb-backups-stub', template: '<p>backups page</p>' })
class BackupsStub {}

function page(overrides: Partial<PartnerTenantPage> = {}): PartnerTenantPage {
  return {
    items: [
      buildPartnerTenantRow({ tenantId: CONTOSO, displayName: 'Contoso' }),
      buildPartnerTenantRow({
        tenantId: FABRIKAM,
        displayName: 'Fabrikam',
        consent: { state: 'missing', missing: ['AuditLog.Read.All'] },
        lastBackup: {
          runId: 'run-9',
          status: 'partial',
          startedAt: '2026-12-04T06:00:00.000Z',
          finishedAt: '2026-12-04T06:02:00.000Z',
          ageHours: 75,
        },
        nextBackupAt: null,
        failingTypes: ['auditLogs', 'signInLogs'],
        storageBytes: 1536,
      }),
    ],
    nextCursor: null,
    total: 2,
    ...overrides,
  };
}

describe('PartnerDashboardPage', () => {
  let http: HttpTestingController;
  let harness: RouterTestingHarness;
  let loader: HarnessLoader;
  let documentLoader: HarnessLoader;

  async function open(url = `/partner/${PARTNER_ID}`, session: SessionResponse = buildStaffSession()) {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter(
          [
            { path: 'partner', children: PARTNER_ROUTES },
            { path: 'backups', component: BackupsStub },
          ],
          withComponentInputBinding(),
        ),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
    harness = await RouterTestingHarness.create(url);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    documentLoader = TestbedHarnessEnvironment.documentRootLoader(harness.fixture);
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return harness.routeNativeElement!;
  }

  function text(element: Element | null | undefined = root()): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function row(tenantId: string): HTMLElement | null {
    return root().querySelector(`tr[data-tenant="${tenantId}"]`);
  }

  function button(label: string): HTMLButtonElement | undefined {
    return Array.from(root().querySelectorAll('button')).find((b) => text(b).includes(label));
  }

  function check(label: string): void {
    root().querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!.click();
  }

  async function expectList(
    params: Record<string, string | null>,
    body: object = page(),
    init?: { status: number; statusText: string },
  ): Promise<TestRequest> {
    const request = await vi.waitFor(() =>
      http.expectOne(
        (r) =>
          r.method === 'GET' &&
          r.url === partnerTenantsUrl(PARTNER_ID) &&
          Object.entries(params).every(([key, value]) => r.params.get(key) === value),
      ),
    );
    request.flush(body, init);
    await harness.fixture.whenStable();
    return request;
  }

  it('shows every customer tenant with consent, last and next backup, failing types and storage', async () => {
    await open();
    const request = await expectList({ sort: 'name', limit: '50', filter: null, cursor: null });

    expect(request.request.params.keys().sort()).toEqual(['limit', 'sort']);
    expect(text(root().querySelector('h1'))).toBe('Customers');
    expect(text()).toContain('Northwind IT · your role: Owner');
    expect(text()).toContain('2 of 2 tenants');
    const contoso = text(row(CONTOSO));
    expect(contoso).toContain('Contoso');
    expect(contoso).toContain('Granted');
    expect(contoso).toContain('Completed');
    expect(contoso).toContain('3 h ago');
    expect(contoso).toContain('None');
    expect(contoso).toContain('5.0 MB');
    const fabrikam = text(row(FABRIKAM));
    expect(fabrikam).toContain('1 permission missing');
    expect(fabrikam).toContain('Partial');
    expect(fabrikam).toContain('3 days ago (stale)');
    expect(fabrikam).toContain('Not scheduled');
    expect(fabrikam).toContain('Audit logs, Sign-in logs');
  });

  it('filters and searches on the server, keeping both in the URL', async () => {
    await open();
    await expectList({ filter: null });

    // A click, not the chip harness: the harness waits for the page to settle, which it does
    // only once the request the click starts is answered.
    const failing = Array.from(root().querySelectorAll('mat-chip-option')).find((c) => text(c) === 'Failing');
    failing!.querySelector('button')!.click();
    await expectList({ filter: 'failing', sort: 'name' }, page({ items: [page().items[1]!], total: 1 }));
    expect(TestBed.inject(Router).url).toBe(`/partner/${PARTNER_ID}?filter=failing`);
    expect(row(CONTOSO)).toBeNull();

    const search = root().querySelector<HTMLInputElement>('input[name="search"]')!;
    search.value = 'fab';
    search.dispatchEvent(new Event('input'));
    button('Search')!.click();
    await expectList({ filter: 'failing', search: 'fab' }, page({ items: [page().items[1]!], total: 1 }));
    expect(TestBed.inject(Router).url).toBe(`/partner/${PARTNER_ID}?filter=failing&search=fab`);
  });

  it('opens with the filter of a shared link, still on the Customers tab', async () => {
    await open(`/partner/${PARTNER_ID}?filter=no-consent&sort=storage`);
    await expectList({ filter: 'no-consent', sort: 'storage' });

    const current = root().querySelectorAll('nav[aria-label="Partner portal"] a[aria-current="page"]');
    expect(Array.from(current).map((a) => text(a))).toEqual(['Customers']);
  });

  it('loads further pages with the cursor and adds them below', async () => {
    await open();
    await expectList({ cursor: null }, page({ nextCursor: 'c-2', total: 3 }));
    expect(text()).toContain('2 of 3 tenants');

    button('Load more')!.click();
    await expectList(
      { cursor: 'c-2', sort: 'name' },
      page({ items: [buildPartnerTenantRow({ tenantId: TAILSPIN, displayName: 'Tailspin' })], total: 3 }),
    );

    expect(row(CONTOSO)).not.toBeNull();
    expect(row(TAILSPIN)).not.toBeNull();
    expect(text()).toContain('3 of 3 tenants');
    expect(button('Load more')).toBeUndefined();
  });

  it("backs up the selected tenants and names those where it did not start, with the server's reason", async () => {
    await open();
    await expectList({});

    check('Select every tenant shown');
    await harness.fixture.whenStable();
    expect(text(root().querySelector('[aria-label="Bulk actions"]'))).toContain('2 selected');
    button('Back up now')!.click();

    const bulk = http.expectOne({ method: 'POST', url: bulkBackupsUrl(PARTNER_ID) });
    expect(bulk.request.body).toEqual({ tenantIds: [CONTOSO, FABRIKAM] });
    expect(bulk.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    bulk.flush({
      items: [
        { tenantId: CONTOSO, ok: true, runId: 'run-10' },
        {
          tenantId: FABRIKAM,
          ok: false,
          code: 'CONSENT_REQUIRED',
          message: 'Grant admin consent before backing up',
        },
      ],
    });
    // The rows are read again: the backups have started.
    await expectList({ cursor: null });

    const report = text(root().querySelector('.notice'));
    expect(report).toContain('Back up now: Backups started in 1 tenant. Not done in 1:');
    expect(report).toContain('Fabrikam: Grant admin consent before backing up');
    expect(root().querySelector('[aria-label="Bulk actions"]')).toBeNull();
  });

  it('switches the chosen types on in the selected tenants', async () => {
    await open();
    await expectList({});
    check('Select Fabrikam');
    await harness.fixture.whenStable();

    button('Enable types…')!.click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Enable types');
    const dialogLoader = await dialog.getChildLoader('mat-dialog-content');
    await (await dialogLoader.getHarness(MatCheckboxHarness.with({ label: 'Groups' }))).check();
    await (await dialogLoader.getHarness(MatCheckboxHarness.with({ label: 'Users' }))).check();
    const enable = Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-actions button')).find(
      (b) => text(b) === 'Enable 2 types',
    );
    enable!.click();

    const bulk = await vi.waitFor(() => http.expectOne({ method: 'POST', url: bulkSettingsUrl(PARTNER_ID) }));
    expect(bulk.request.body).toEqual({ tenantIds: [FABRIKAM], enableTypes: ['users', 'groups'] });
    bulk.flush({ items: [{ tenantId: FABRIKAM, ok: true }] });
    await expectList({});

    expect(text(root().querySelector('.notice'))).toContain('Enable types: Types switched on in 1 tenant.');
  });

  it('releases a customer after confirming, and reads the list again', async () => {
    await open();
    await expectList({});

    root().querySelector<HTMLButtonElement>('button[aria-label="More actions for Fabrikam"]')!.click();
    await harness.fixture.whenStable();
    Array.from(document.querySelectorAll<HTMLButtonElement>('[mat-menu-item]'))
      .find((b) => text(b).includes('Release'))!
      .click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Release Fabrikam?');
    Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-actions button'))
      .find((b) => text(b) === 'Release')!
      .click();

    const release = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: `${partnerTenantsUrl(PARTNER_ID)}/${FABRIKAM}` }),
    );
    expect(release.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    release.flush(null, { status: 204, statusText: 'No Content' });
    await expectList({}, page({ items: page().items.slice(0, 1), total: 1 }));
    expect(row(FABRIKAM)).toBeNull();
  });

  it('hands a customer over to the partner id given, refusing anything that is not one', async () => {
    await open();
    await expectList({});

    root().querySelector<HTMLButtonElement>('button[aria-label="More actions for Contoso"]')!.click();
    await harness.fixture.whenStable();
    Array.from(document.querySelectorAll<HTMLButtonElement>('[mat-menu-item]'))
      .find((b) => text(b).includes('Hand over'))!
      .click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Hand over Contoso');
    const input = document.querySelector<HTMLInputElement>('mat-dialog-content input')!;
    const submit = () =>
      Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-actions button')).find(
        (b) => text(b) === 'Hand over',
      )!;
    input.value = 'northwind';
    input.dispatchEvent(new Event('input'));
    await harness.fixture.whenStable();
    expect(submit().disabled).toBe(true);
    input.value = ' 5D1C6C8E-3F7A-4A7E-B1D9-0E2F4A6B8C10 ';
    input.dispatchEvent(new Event('input'));
    await harness.fixture.whenStable();
    submit().click();

    const handOver = await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: `${partnerTenantsUrl(PARTNER_ID)}/${CONTOSO}/hand-over` }),
    );
    expect(handOver.request.body).toEqual({ toPartnerId: '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10' });
    handOver.flush({
      partner: { partnerId: '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10', name: 'Other' },
      linkedAt: null,
    });
    await expectList({});
  });

  it('offers hand-over and release to Owners only', async () => {
    await open(
      `/partner/${PARTNER_ID}`,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'admin' }],
      }),
    );
    await expectList({});

    expect(root().querySelector('button[aria-label^="More actions for"]')).toBeNull();
  });

  it('offers a Viewer no selection and no bulk action', async () => {
    await open(
      `/partner/${PARTNER_ID}`,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'viewer' }],
      }),
    );
    await expectList({});

    expect(await loader.getAllHarnesses(MatCheckboxHarness)).toHaveLength(0);
    expect(row(CONTOSO)).not.toBeNull();
  });

  it('opens a tenant in its pages, through this partner', async () => {
    await open();
    await expectList({});

    row(FABRIKAM)!.querySelector<HTMLAnchorElement>('a.tenant-link')!.click();
    await harness.fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe(`/backups?tenant=${FABRIKAM}`);
    expect(TestBed.inject(TenantContext).tenantId()).toBe(FABRIKAM);
    expect(TestBed.inject(TenantContext).partnerId()).toBe(PARTNER_ID);
  });

  it("shows the server's message when the tenants cannot be loaded", async () => {
    await open();
    await expectList({}, buildErrorBody(403, 'PERMISSION_DENIED', 'You may not see this partner'), {
      status: 403,
      statusText: 'Forbidden',
    });

    expect(text(root().querySelector('[role="alert"]'))).toContain('You may not see this partner');
  });

  it('says how to get the first customer when there is none', async () => {
    await open();
    await expectList({}, page({ items: [], total: 0 }));

    expect(text()).toContain('No customers yet.');
  });
});
