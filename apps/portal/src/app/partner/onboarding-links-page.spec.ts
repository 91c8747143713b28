import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CSRF_HEADER, type PartnerRole } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildErrorBody, buildOnboardingLink, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { OnboardingLinksPage } from './onboarding-links-page';
import { onboardingLinksUrl } from './partner.api';
import { PARTNER_ROUTES } from './partner.routes';

const LINK_URL = 'https://backup.example.test/onboard/tok_4f9c2a';

describe(OnboardingLinksPage.name, () => {
  let http: HttpTestingController;
  let harness: RouterTestingHarness;
  let loader: HarnessLoader;
  let documentLoader: HarnessLoader;
  let copied: string[];

  async function open(role: PartnerRole = 'admin'): Promise<void> {
    copied = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'partner', children: PARTNER_ROUTES }], withComponentInputBinding()),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
        { provide: Clipboard, useValue: { copy: (text: string) => copied.push(text) > 0 } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(
      TestBed.inject(SessionStore),
      http,
      buildStaffSession({ partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role }] }),
    );
    harness = await RouterTestingHarness.create(`/partner/${PARTNER_ID}/onboarding`);
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

  async function answerLinks(body: object, init?: { status: number; statusText: string }): Promise<void> {
    (await vi.waitFor(() => http.expectOne({ method: 'GET', url: onboardingLinksUrl(PARTNER_ID) }))).flush(
      body,
      init,
    );
    await harness.fixture.whenStable();
  }

  function typeName(value: string): void {
    const input = root().querySelector<HTMLInputElement>('input[name="customerName"]')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function submit(): void {
    root().querySelector<HTMLFormElement>('form.add-form')!.requestSubmit();
  }

  it('lists the links with their status, and offers to revoke only open ones', async () => {
    await open();
    await answerLinks({
      items: [
        buildOnboardingLink(),
        buildOnboardingLink({
          linkId: 'link-2',
          customerName: 'Tailspin',
          createdBy: 'key:eb_k3x9q2mz',
          status: 'used',
          usedByTenantId: '22222222-3333-4444-5555-666666666666',
        }),
      ],
    });

    const open_ = text(root().querySelector('li[data-link="link-1"]'));
    expect(open_).toContain('Fabrikam');
    expect(open_).toContain('Open');
    expect(open_).toContain('by sam@northwind.test ·');
    expect(open_).toContain('Revoke');
    const used = text(root().querySelector('li[data-link="link-2"]'));
    expect(used).toContain('Used');
    expect(used).toContain('by API key eb_k3x9q2mz');
    expect(used).toContain('used by tenant 22222222-3333-4444-5555-666666666666');
    expect(root().querySelector('li[data-link="link-2"] button')).toBeNull();
  });

  it('creates a link for a named customer and shows its URL once, to copy', async () => {
    await open();
    await answerLinks({ items: [] });

    typeName(' Fabrikam ');
    const validity = await loader.getHarness(
      MatSelectHarness.with({ selector: 'mat-select[name="validity"]' }),
    );
    await validity.open();
    await validity.clickOptions({ text: '7 days' });
    submit();

    const create = http.expectOne({ method: 'POST', url: onboardingLinksUrl(PARTNER_ID) });
    expect(create.request.body).toEqual({ customerName: 'Fabrikam', expiresInHours: 168 });
    expect(create.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    create.flush(buildOnboardingLink({ url: LINK_URL }), { status: 201, statusText: 'Created' });
    // The list is read again; it never carries the URL.
    await answerLinks({ items: [buildOnboardingLink()] });

    const created = root().querySelector('.notice.ok');
    expect(text(created)).toContain('Link for Fabrikam created. Copy it now: it is shown only once.');
    expect(created?.querySelector<HTMLInputElement>('input')?.value).toBe(LINK_URL);
    Array.from(created!.querySelectorAll('button'))
      .find((b) => text(b).includes('Copy'))!
      .click();
    expect(copied).toEqual([LINK_URL]);
  });

  it('asks for the customer name before asking the server', async () => {
    await open();
    await answerLinks({ items: [] });

    submit();
    await harness.fixture.whenStable();

    expect(text(root().querySelector('#create-error'))).toBe('name the customer');
    http.expectNone({ method: 'POST', url: onboardingLinksUrl(PARTNER_ID) });
  });

  it('revokes an open link after confirming', async () => {
    await open();
    await answerLinks({ items: [buildOnboardingLink()] });

    root().querySelector<HTMLButtonElement>('button[aria-label="Revoke the link for Fabrikam"]')!.click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe('Revoke the link for Fabrikam?');
    document.querySelector<HTMLButtonElement>('mat-dialog-actions button.confirm')!.click();

    const revoke = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: `${onboardingLinksUrl(PARTNER_ID)}/link-1` }),
    );
    expect(revoke.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    revoke.flush(null, { status: 204, statusText: 'No Content' });
    await answerLinks({ items: [buildOnboardingLink({ status: 'revoked' })] });

    expect(text(root().querySelector('li[data-link="link-1"]'))).toContain('Revoked');
  });

  it("shows the server's message when the links cannot be loaded", async () => {
    await open();
    await answerLinks(buildErrorBody(503, 'DATABASE_UNAVAILABLE', 'The database is not reachable'), {
      status: 503,
      statusText: 'Service Unavailable',
    });

    expect(text(root().querySelector('[role="alert"]'))).toContain('The database is not reachable');
  });

  it('tells Operators and Viewers who creates links, without asking the server', async () => {
    await open('operator');
    await harness.fixture.whenStable();

    expect(text()).toContain("Only the partner's Admins and Owners create onboarding links");
    expect(root().querySelector('form')).toBeNull();
    http.expectNone(onboardingLinksUrl(PARTNER_ID));
  });
});
