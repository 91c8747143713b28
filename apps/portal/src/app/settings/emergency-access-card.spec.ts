import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { BreakGlassAccount } from '@entra-backup/common';
import { buildErrorBody } from '../testing/builders';
import { breakGlassAccountsUrl, emergencyContactsUrl, notificationsUrl } from './emergency-access.api';
import { EmergencyAccessCard } from './emergency-access-card';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PASSWORD = 'Correct-Horse-Battery-Staple-42';

function buildAccount(overrides: Partial<BreakGlassAccount> = {}): BreakGlassAccount {
  return {
    accountId: '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a',
    tenantId: TENANT_ID,
    username: 'break.glass',
    createdAt: '2026-12-01T09:00:00.000Z',
    createdBy: 'user:ada@contoso.test',
    lastUsedAt: null,
    lockedUntil: null,
    ...overrides,
  };
}

describe(EmergencyAccessCard.name, () => {
  let fixture: ComponentFixture<EmergencyAccessCard>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [EmergencyAccessCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(EmergencyAccessCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.detectChanges();
    http
      .expectOne({ method: 'GET', url: breakGlassAccountsUrl(TENANT_ID) })
      .flush({ items: [buildAccount()] });
    http.expectOne({ method: 'GET', url: emergencyContactsUrl(TENANT_ID) }).flush({
      emails: ['soc@contoso.test'],
      webhookUrl: null,
      updatedAt: '2026-12-01T09:00:00.000Z',
      updatedBy: 'user:ada@contoso.test',
    });
    http
      .expectOne((r) => r.url === notificationsUrl(TENANT_ID))
      .flush({
        items: [
          {
            id: 'n1',
            tenantId: TENANT_ID,
            partnerId: null,
            kind: 'emergency.sign-in',
            subject: 'Emergency sign-in to Contoso',
            body: 'The break-glass account "break.glass" signed in.',
            channel: 'email',
            recipient: 'soc@contoso.test',
            status: 'recorded',
            error: 'No mail server is configured (SMTP_URL): recorded only',
            createdAt: '2026-12-05T08:00:00.000Z',
            sentAt: null,
            attempts: 0,
            nextAttemptAt: null,
            attemptLog: [],
          },
        ],
        nextCursor: null,
      });
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  async function type(name: string, value: string): Promise<void> {
    const field = root().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)!;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  function button(label: string): HTMLButtonElement {
    const found = [...root().querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => b.textContent?.trim() === label,
    );
    if (found === undefined) throw new Error(`no button "${label}"`);
    return found;
  }

  it('shows the latest notifications with how each was delivered', () => {
    const notification = root().querySelector('[data-notification="n1"]')?.textContent ?? '';
    expect(notification).toContain('Emergency sign-in to Contoso');
    expect(notification).toContain('soc@contoso.test');
    expect(notification).toContain('recorded');
    expect(notification).toContain('SMTP_URL');
  });

  it('lists the accounts and fills the contact form from the server', () => {
    expect(root().querySelector('[data-account]')?.textContent).toContain('break.glass');
    expect(root().querySelector('[data-account]')?.textContent).toContain('never used');
    expect(root().querySelector<HTMLTextAreaElement>('textarea[name="emails"]')?.value).toBe(
      'soc@contoso.test',
    );
  });

  it('refuses a weak password before asking the server', async () => {
    await type('username', 'second.glass');
    await type('password', 'Password12345!');
    await type('confirmation', 'Password12345!');

    expect(button('Create account').disabled).toBe(true);
    expect(root().textContent).toContain('Too weak: the password is a common word');
  });

  it('creates an account and shows its QR code and key once, until dismissed', async () => {
    await type('username', 'Second.Glass');
    await type('password', PASSWORD);
    await type('confirmation', PASSWORD);
    button('Create account').click();

    const request = http.expectOne({ method: 'POST', url: breakGlassAccountsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({ username: 'Second.Glass', password: PASSWORD });
    request.flush({
      account: buildAccount({ accountId: 'a2', username: 'second.glass' }),
      totp: {
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        otpauthUri: 'otpauth://totp/Entra%20Backup:second.glass?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        qrCodeDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
      },
    });
    TestBed.tick();
    http
      .expectOne(breakGlassAccountsUrl(TENANT_ID))
      .flush({ items: [buildAccount(), buildAccount({ accountId: 'a2', username: 'second.glass' })] });
    await fixture.whenStable();

    expect(root().querySelector<HTMLImageElement>('img.qr')?.src).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(root().textContent).toContain('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(root().querySelector<HTMLInputElement>('input[name="password"]')?.value).toBe('');

    button('Done, the app is set up').click();
    await fixture.whenStable();
    expect(root().textContent).not.toContain('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(root().querySelectorAll('[data-account]')).toHaveLength(2);
  });

  it("shows the server's refusal of a new account", async () => {
    await type('username', 'break.glass');
    await type('password', PASSWORD);
    await type('confirmation', PASSWORD);
    button('Create account').click();

    http
      .expectOne({ method: 'POST', url: breakGlassAccountsUrl(TENANT_ID) })
      .flush(
        buildErrorBody(
          409,
          'BREAK_GLASS_USERNAME_TAKEN',
          'The tenant already has a break-glass account named break.glass',
        ),
        {
          status: 409,
          statusText: 'Conflict',
        },
      );
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'already has a break-glass account',
    );
  });

  it('deletes an account only on the second click', async () => {
    button('Delete').click();
    await fixture.whenStable();
    http.expectNone({ method: 'DELETE' });

    button('Confirm delete').click();
    http
      .expectOne({ method: 'DELETE', url: `${breakGlassAccountsUrl(TENANT_ID)}/${buildAccount().accountId}` })
      .flush(null, { status: 204, statusText: 'No Content' });
    TestBed.tick();
    http.expectOne(breakGlassAccountsUrl(TENANT_ID)).flush({ items: [] });
    await fixture.whenStable();

    expect(root().textContent).toContain('No break-glass account yet.');
  });

  it('saves the contacts, one address per line, and the webhook', async () => {
    await type('emails', 'soc@contoso.test\nnoc@contoso.test');
    await type('webhookUrl', 'https://hooks.contoso.test/emergency');
    button('Save contacts').click();

    const request = http.expectOne({ method: 'PUT', url: emergencyContactsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({
      emails: ['soc@contoso.test', 'noc@contoso.test'],
      webhookUrl: 'https://hooks.contoso.test/emergency',
    });
    request.flush({
      emails: ['soc@contoso.test', 'noc@contoso.test'],
      webhookUrl: 'https://hooks.contoso.test/emergency',
      updatedAt: '2026-12-07T10:00:00.000Z',
      updatedBy: 'user:ada@contoso.test',
    });
    TestBed.tick();
    http.expectOne(emergencyContactsUrl(TENANT_ID)).flush({
      emails: ['soc@contoso.test', 'noc@contoso.test'],
      webhookUrl: 'https://hooks.contoso.test/emergency',
      updatedAt: '2026-12-07T10:00:00.000Z',
      updatedBy: 'user:ada@contoso.test',
    });
    await fixture.whenStable();

    expect(root().querySelector<HTMLTextAreaElement>('textarea[name="emails"]')?.value).toBe(
      'soc@contoso.test\nnoc@contoso.test',
    );
    expect(root().querySelector('[role="alert"]')).toBeNull();
  });
});
