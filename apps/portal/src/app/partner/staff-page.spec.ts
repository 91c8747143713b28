import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSnackBarHarness } from '@angular/material/snack-bar/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CSRF_HEADER, type PartnerRole, type StaffList } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildErrorBody, buildStaffMember, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { staffMemberUrl, staffUrl } from './partner.api';
import { partnerEmergencyContactsUrl as partnerContactsUrl } from '../settings/emergency-access.api';
import { PARTNER_ROUTES } from './partner.routes';
import { StaffPage } from './staff-page';

function staff(): StaffList {
  return {
    items: [
      buildStaffMember(),
      buildStaffMember({
        upn: 'ana@northwind.test',
        role: 'operator',
        homeTenantId: null,
        addedBy: 'user:sam@northwind.test',
      }),
    ],
  };
}

describe(StaffPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let loader: HarnessLoader;
  let documentLoader: HarnessLoader;

  let currentRole: PartnerRole;
  let contactsLoaded: boolean;
  const NO_CONTACTS = { emails: [], webhookUrl: null, updatedAt: null, updatedBy: null };

  async function create(role: PartnerRole = 'owner'): Promise<void> {
    currentRole = role;
    contactsLoaded = false;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'partner', children: PARTNER_ROUTES }], withComponentInputBinding()),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(
      TestBed.inject(SessionStore),
      http,
      buildStaffSession({ partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role }] }),
    );
    harness = await RouterTestingHarness.create(`/partner/${PARTNER_ID}/staff`);
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
    documentLoader = TestbedHarnessEnvironment.documentRootLoader(harness.fixture);
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return harness.routeNativeElement!;
  }

  function text(element: Element | null = root()): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function row(upn: string): HTMLElement | null {
    return root().querySelector(`li[data-upn="${upn}"]`);
  }

  async function answerStaff(
    body: object = staff(),
    init?: { status: number; statusText: string },
    contacts: object = NO_CONTACTS,
  ) {
    (await vi.waitFor(() => http.expectOne({ method: 'GET', url: staffUrl(PARTNER_ID) }))).flush(body, init);
    // An Owner's page also shows the partner's emergency contacts.
    if (currentRole === 'owner' && !contactsLoaded) {
      contactsLoaded = true;
      const load = await vi.waitFor(() =>
        http.expectOne({ method: 'GET', url: partnerContactsUrl(PARTNER_ID) }),
      );
      load.flush(contacts);
    }
    await harness.fixture.whenStable();
  }

  async function snackBarMessage(): Promise<string> {
    return (await documentLoader.getHarness(MatSnackBarHarness)).getMessage();
  }

  function typeUpn(value: string): void {
    const input = root().querySelector<HTMLInputElement>('input[name="upn"]')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function submitAdd(): void {
    root().querySelector<HTMLFormElement>('form.add-form')!.requestSubmit();
  }

  it('lists the people with their role, whether they signed in, and who added them', async () => {
    await create();
    await answerStaff();

    expect(text(row('sam@northwind.test'))).toContain('sam@northwind.test (you)');
    expect(text(row('sam@northwind.test'))).toContain('Signed in · added Nov 1, 2026 by operator:cli');
    expect(text(row('ana@northwind.test'))).toContain('Not signed in yet');
    expect(text(row('ana@northwind.test'))).toContain('by sam@northwind.test');
    const role = await loader.getHarness(
      MatSelectHarness.with({ selector: '[aria-label="Role of ana@northwind.test"]' }),
    );
    expect(await role.getValueText()).toBe('Operator');
  });

  it('adds a person by sign-in name with a role, then reads the list again', async () => {
    await create();
    await answerStaff();

    typeUpn('  Kim@Northwind.test ');
    const role = await loader.getHarness(MatSelectHarness.with({ selector: 'mat-select[name="role"]' }));
    await role.open();
    await role.clickOptions({ text: 'Viewer' });
    submitAdd();

    const add = http.expectOne({ method: 'POST', url: staffUrl(PARTNER_ID) });
    expect(add.request.body).toEqual({ upn: 'kim@northwind.test', role: 'viewer' });
    expect(add.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    add.flush(buildStaffMember({ upn: 'kim@northwind.test', role: 'viewer' }), {
      status: 201,
      statusText: 'Created',
    });
    await answerStaff();

    expect(await snackBarMessage()).toBe('kim@northwind.test was added as Viewer');
    expect(root().querySelector<HTMLInputElement>('input[name="upn"]')!.value).toBe('');
  });

  it('says what is wrong with a sign-in name before asking the server', async () => {
    await create();
    await answerStaff();

    typeUpn('kim');
    submitAdd();
    await harness.fixture.whenStable();

    expect(text(root().querySelector('#add-error'))).toBe(
      'upn must be a sign-in name such as ana@contoso.com',
    );
    http.expectNone({ method: 'POST', url: staffUrl(PARTNER_ID) });
  });

  it("shows the server's reason when a person cannot be added", async () => {
    await create();
    await answerStaff();

    typeUpn('ana@northwind.test');
    submitAdd();
    http
      .expectOne({ method: 'POST', url: staffUrl(PARTNER_ID) })
      .flush(buildErrorBody(409, 'STAFF_EXISTS', 'ana@northwind.test already works for Northwind IT'), {
        status: 409,
        statusText: 'Conflict',
      });
    await harness.fixture.whenStable();

    expect(text(root().querySelector('[role="alert"]'))).toBe(
      'ana@northwind.test already works for Northwind IT',
    );
  });

  it("changes a person's role", async () => {
    await create();
    await answerStaff();

    const role = await loader.getHarness(
      MatSelectHarness.with({ selector: '[aria-label="Role of ana@northwind.test"]' }),
    );
    await role.open();
    // A click on the option itself: the harness's own click waits for the page to settle,
    // which it does only once the request the change starts is answered.
    Array.from(document.querySelectorAll<HTMLElement>('mat-option'))
      .find((o) => o.textContent?.trim() === 'Admin')!
      .click();

    const change = http.expectOne({ method: 'PATCH', url: staffMemberUrl(PARTNER_ID, 'ana@northwind.test') });
    expect(change.request.body).toEqual({ role: 'admin' });
    change.flush(buildStaffMember({ upn: 'ana@northwind.test', role: 'admin' }));
    await answerStaff();

    expect(await snackBarMessage()).toBe('ana@northwind.test is now Admin');
  });

  it('removes a person after confirming', async () => {
    await create();
    await answerStaff();

    row('ana@northwind.test')!
      .querySelector<HTMLButtonElement>('button[aria-label="Remove ana@northwind.test"]')!
      .click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Remove ana@northwind.test?');
    document.querySelector<HTMLButtonElement>('mat-dialog-actions button.confirm')!.click();

    const remove = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: staffMemberUrl(PARTNER_ID, 'ana@northwind.test') }),
    );
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await answerStaff({ items: [buildStaffMember()] });

    expect(row('ana@northwind.test')).toBeNull();
  });

  it('keeps a person when the removal is cancelled', async () => {
    await create();
    await answerStaff();

    row('ana@northwind.test')!
      .querySelector<HTMLButtonElement>('button[aria-label="Remove ana@northwind.test"]')!
      .click();
    await (await documentLoader.getHarness(MatDialogHarness)).close();

    http.expectNone({ method: 'DELETE', url: staffMemberUrl(PARTNER_ID, 'ana@northwind.test') });
  });

  it("saves the partner's emergency contacts, one address per line", async () => {
    await create('owner');
    await answerStaff(staff(), undefined, { ...NO_CONTACTS, emails: ['soc@northwind.test'] });
    const emails = root().querySelector<HTMLTextAreaElement>('textarea[name="emails"]')!;
    expect(emails.value).toBe('soc@northwind.test');

    emails.value = 'soc@northwind.test\noncall@northwind.test';
    emails.dispatchEvent(new Event('input'));
    root().querySelector<HTMLFormElement>('form[aria-label="Partner emergency contacts"]')!.requestSubmit();

    const save = http.expectOne({ method: 'PUT', url: partnerContactsUrl(PARTNER_ID) });
    expect(save.request.body).toEqual({
      emails: ['soc@northwind.test', 'oncall@northwind.test'],
      webhookUrl: null,
    });
    save.flush({
      emails: ['soc@northwind.test', 'oncall@northwind.test'],
      webhookUrl: null,
      updatedAt: null,
      updatedBy: null,
    });
    (await vi.waitFor(() => http.expectOne({ method: 'GET', url: partnerContactsUrl(PARTNER_ID) }))).flush({
      ...NO_CONTACTS,
      emails: ['soc@northwind.test', 'oncall@northwind.test'],
    });
    expect(await snackBarMessage()).toBe('Emergency contacts saved');
  });

  it('shows the list read-only to those who are not Owners', async () => {
    await create('admin');
    await answerStaff();

    expect(root().querySelector('form.add-form')).toBeNull();
    expect(await loader.getAllHarnesses(MatSelectHarness)).toHaveLength(0);
    expect(root().querySelector('button[aria-label^="Remove"]')).toBeNull();
    expect(text(row('ana@northwind.test'))).toContain('Operator');
    expect(text()).toContain("Only the partner's Owners add, change and remove people.");
  });

  it("shows the server's message when the staff cannot be read", async () => {
    await create('viewer');
    await answerStaff(buildErrorBody(403, 'PERMISSION_DENIED', 'Your role may not see the staff'), {
      status: 403,
      statusText: 'Forbidden',
    });

    expect(text(root().querySelector('[role="alert"]'))).toContain('Your role may not see the staff');
  });

  it("shows the partner portal's tabs its role may use, Staff as the current page", async () => {
    await create();
    await answerStaff();

    const tabs = Array.from(root().querySelectorAll<HTMLAnchorElement>('nav[aria-label="Partner portal"] a'));
    expect(tabs.map((a) => [text(a), a.getAttribute('href')])).toEqual([
      ['Customers', `/partner/${PARTNER_ID}`],
      ['Onboarding', `/partner/${PARTNER_ID}/onboarding`],
      ['Staff', `/partner/${PARTNER_ID}/staff`],
      ['Notifications', `/partner/${PARTNER_ID}/notifications`],
      ['API keys', `/partner/${PARTNER_ID}/api-keys`],
    ]);
    expect(tabs.filter((a) => a.getAttribute('aria-current') === 'page').map((a) => text(a))).toEqual([
      'Staff',
    ]);
  });

  it('shows an Operator no onboarding and no API keys tab', async () => {
    await create('operator');
    await answerStaff();

    const tabs = Array.from(root().querySelectorAll('nav[aria-label="Partner portal"] a')).map((a) =>
      text(a),
    );
    expect(tabs).toEqual(['Customers', 'Staff']);
  });
});
