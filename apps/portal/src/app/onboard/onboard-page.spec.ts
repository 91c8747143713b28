import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { CSRF_HEADER, type SessionResponse } from '@entra-backup/common';
import { BrowserLocation } from '../core/browser-location';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { LOGIN_URL, LOGOUT_URL, SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildInvitation, buildSession, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { OnboardPage } from './onboard-page';
import { invitationUrl } from './onboard.api';

const TOKEN = 'tok_4f9c2a';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

@Component({ selector: 'eb-settings-stub', template: '<p>settings page</p>' })
class SettingsStub {}

describe(OnboardPage.name, () => {
  let http: HttpTestingController;
  let harness: RouterTestingHarness;
  let assigned: string[];

  const signedOut: SessionResponse = { authenticated: false, demoMode: false, csrfToken: null };

  async function open(session: SessionResponse = signedOut): Promise<void> {
    assigned = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter(
          [
            { path: 'onboard/:token', component: OnboardPage },
            { path: 'settings/:tenantId', component: SettingsStub },
          ],
          withComponentInputBinding(),
        ),
        { provide: BrowserLocation, useValue: { assign: (url: string) => assigned.push(url) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
    harness = await RouterTestingHarness.create(`/onboard/${TOKEN}`);
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return harness.routeNativeElement!;
  }

  function text(element: Element | null = root()): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function button(label: string): HTMLButtonElement | undefined {
    return Array.from(root().querySelectorAll('button')).find((b) => text(b).includes(label));
  }

  async function answerInvitation(
    body: object,
    init?: { status: number; statusText: string },
  ): Promise<void> {
    (await vi.waitFor(() => http.expectOne({ method: 'GET', url: invitationUrl(TOKEN) }))).flush(body, init);
    await harness.fixture.whenStable();
  }

  function acceptRequest() {
    return http.expectOne({ method: 'POST', url: `${invitationUrl(TOKEN)}/accept` });
  }

  it('shows who invites whom until when, and asks to sign in, coming back to this page', async () => {
    await open();
    await answerInvitation(buildInvitation());

    expect(text(root().querySelector('h1'))).toBe('Invitation from Northwind IT');
    expect(text()).toContain('Northwind IT invites Fabrikam to let them look after the backups');
    expect(text()).toContain('valid until Dec 10, 2026');
    const signIn = Array.from(root().querySelectorAll('a')).find((a) =>
      text(a).includes('Sign in with Microsoft 365'),
    );
    expect(signIn?.getAttribute('href')).toBe(`${LOGIN_URL}?returnTo=%2Fonboard%2F${TOKEN}`);
    expect(button('Accept')).toBeUndefined();
  });

  it("accepts as the tenant's admin and goes on to Microsoft's consent page", async () => {
    await open(buildSession());
    await answerInvitation(buildInvitation());
    expect(text()).toContain('Signed in as Ada Admin (ada@contoso.test).');

    button('Accept and grant consent')!.click();
    const accept = acceptRequest();
    expect(accept.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    accept.flush({
      tenantId: TENANT_ID,
      partnerId: 'p-1',
      partnerName: 'Northwind IT',
      consentUrl: 'https://login.microsoftonline.com/adminconsent?client_id=1',
    });
    await harness.fixture.whenStable();

    expect(assigned).toEqual(['https://login.microsoftonline.com/adminconsent?client_id=1']);
  });

  it('goes to Settings when the tenant has consent already', async () => {
    await open(buildSession());
    await answerInvitation(buildInvitation());

    button('Accept and grant consent')!.click();
    acceptRequest().flush({
      tenantId: TENANT_ID,
      partnerId: 'p-1',
      partnerName: 'Northwind IT',
      consentUrl: null,
    });

    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe(`/settings/${TENANT_ID}`));
    expect(assigned).toEqual([]);
  });

  it('explains that a tenant managed by another partner must be released first', async () => {
    await open(buildSession());
    await answerInvitation(buildInvitation());

    button('Accept and grant consent')!.click();
    acceptRequest().flush(
      buildErrorBody(409, 'TENANT_ALREADY_MANAGED', 'The tenant is already managed by a partner'),
      { status: 409, statusText: 'Conflict' },
    );
    // The invitation is read again: it may have changed meanwhile.
    await answerInvitation(buildInvitation());

    expect(text(root().querySelector('[role="alert"]'))).toContain(
      "The invitation was not accepted. Your tenant is already looked after by a partner. An administrator of your tenant can revoke that partner's access in Settings",
    );
    expect(button('Accept and grant consent')?.disabled).toBe(false);
  });

  it("shows the server's reason for other refusals", async () => {
    await open(buildSession());
    await answerInvitation(buildInvitation());

    button('Accept and grant consent')!.click();
    acceptRequest().flush(
      buildErrorBody(403, 'CONSENT_NOT_ALLOWED', 'Only a Global Administrator can accept for the tenant'),
      { status: 403, statusText: 'Forbidden' },
    );
    await answerInvitation(buildInvitation());

    expect(text(root().querySelector('[role="alert"]'))).toContain(
      'The invitation was not accepted. Only a Global Administrator can accept for the tenant',
    );
  });

  it('says when the invitation expired, and offers nothing to accept', async () => {
    await open(buildSession());
    await answerInvitation(buildInvitation({ status: 'expired' }));

    expect(text()).toContain('This invitation for Fabrikam expired on Dec 10, 2026');
    expect(text()).toContain('Ask Northwind IT for a new link.');
    expect(button('Accept and grant consent')).toBeUndefined();
  });

  it("asks someone who is not a tenant admin to sign in as the customer's Global Administrator", async () => {
    await open(buildStaffSession());
    await answerInvitation(buildInvitation());

    expect(text()).toContain(
      'You are signed in as Sam Staff (sam@northwind.test), who is not an administrator of a tenant.',
    );
    expect(button('Accept')).toBeUndefined();

    button('Sign out')!.click();
    http
      .expectOne({ method: 'POST', url: LOGOUT_URL })
      .flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() => expect(TestBed.inject(SessionStore).signedIn()).toBe(false));
    await harness.fixture.whenStable();

    expect(
      Array.from(root().querySelectorAll('a')).some((a) => text(a).includes('Sign in with Microsoft 365')),
    ).toBe(true);
  });

  it.each([
    ['used', 'was already accepted'],
    ['revoked', 'Northwind IT withdrew this invitation'],
  ] as const)('says clearly when the invitation is %s', async (status, message) => {
    await open();
    await answerInvitation(buildInvitation({ status }));

    expect(text()).toContain(message);
    expect(Array.from(root().querySelectorAll('a')).some((a) => text(a).includes('Sign in'))).toBe(false);
  });

  it('says when the link is not known', async () => {
    await open();
    await answerInvitation(buildErrorBody(404, 'ONBOARDING_LINK_NOT_FOUND', 'Not found'), {
      status: 404,
      statusText: 'Not Found',
    });

    expect(text(root().querySelector('[role="alert"]'))).toContain('This invitation link is not known.');
  });
});
