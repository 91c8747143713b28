import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { Notification, NotificationRecipient } from '@entra-backup/common';
import { NotificationsCard } from './notifications-card';
import { alertSettingsUrl, tenantNotificationUrls } from './notifications.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const URLS = tenantNotificationUrls(TENANT_ID);

function buildRecipient(overrides: Partial<NotificationRecipient> = {}): NotificationRecipient {
  return {
    id: '1a2b3c4d-0000-4000-8000-000000000001',
    channel: 'email',
    address: 'soc@contoso.test',
    createdAt: '2026-12-01T09:00:00.000Z',
    createdBy: 'user:ada@contoso.test',
    ...overrides,
  };
}

function buildDelivery(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'd1',
    tenantId: TENANT_ID,
    partnerId: null,
    kind: 'identity.privileged-role',
    subject: '[Contoso] New Global Administrator assignment',
    body: 'Global Administrator assigned to principal 42',
    channel: 'webhook',
    recipient: 'https://hooks.contoso.test/a',
    status: 'sent',
    error: null,
    createdAt: '2026-12-05T08:00:00.000Z',
    sentAt: '2026-12-05T08:00:31.000Z',
    attempts: 2,
    nextAttemptAt: null,
    attemptLog: [
      {
        attempt: 1,
        at: '2026-12-05T08:00:00.000Z',
        outcome: 'failed',
        detail: 'the webhook answered HTTP 500',
      },
      { attempt: 2, at: '2026-12-05T08:00:31.000Z', outcome: 'sent', detail: null },
    ],
    ...overrides,
  };
}

describe(NotificationsCard.name, () => {
  let fixture: ComponentFixture<NotificationsCard>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [NotificationsCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(NotificationsCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.detectChanges();
    http
      .expectOne({ method: 'GET', url: alertSettingsUrl(TENANT_ID) })
      .flush({ massDeletionThreshold: 20, bitlockerReadThreshold: 10, dailyDigest: false });
    http.expectOne({ method: 'GET', url: URLS.recipients }).flush({ items: [buildRecipient()] });
    http.expectOne((r) => r.url === URLS.deliveries).flush({ items: [buildDelivery()], nextCursor: null });
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  async function type(name: string, value: string): Promise<void> {
    const field = root().querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
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

  it('lists the recipients and the delivery log with every attempt', () => {
    expect(root().querySelector('[data-recipient]')?.textContent).toContain('soc@contoso.test');
    const delivery = root().querySelector('[data-delivery="d1"]')?.textContent ?? '';
    expect(delivery).toContain('New Global Administrator assignment');
    expect(delivery).toContain('https://hooks.contoso.test/a');
    expect(delivery).toContain('attempt 1 failed (the webhook answered HTTP 500) · attempt 2 sent');
  });

  it('saves changed thresholds and the digest choice', async () => {
    expect(button('Save').disabled).toBe(true);
    await type('massDeletionThreshold', '5');
    button('Save').click();

    const request = http.expectOne({ method: 'PUT', url: alertSettingsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({
      massDeletionThreshold: 5,
      bitlockerReadThreshold: 10,
      dailyDigest: false,
    });
    request.flush({ massDeletionThreshold: 5, bitlockerReadThreshold: 10, dailyDigest: false });
    await fixture.whenStable();
    expect(button('Save').disabled).toBe(true);
  });

  it('refuses a threshold below 1 without asking the server', async () => {
    await type('bitlockerReadThreshold', '0');
    button('Save').click();
    await fixture.whenStable();

    expect(root().textContent).toContain('Thresholds are whole numbers of 1 or more');
  });

  it('adds a webhook and shows its signing secret once, until dismissed', async () => {
    root().querySelector<HTMLElement>('mat-select[name="channel"]')!.click();
    await fixture.whenStable();
    document.querySelectorAll<HTMLElement>('mat-option')[1]!.click();
    await fixture.whenStable();
    await type('address', 'https://hooks.contoso.test/b');
    button('Add recipient').click();

    const request = http.expectOne({ method: 'POST', url: URLS.recipients });
    expect(request.request.body).toEqual({ channel: 'webhook', address: 'https://hooks.contoso.test/b' });
    const webhook = buildRecipient({ id: 'r2', channel: 'webhook', address: 'https://hooks.contoso.test/b' });
    request.flush({ ...webhook, secret: 'whsec_4f2a9c' });
    TestBed.tick();
    http.expectOne(URLS.recipients).flush({ items: [buildRecipient(), webhook] });
    await fixture.whenStable();

    expect(root().textContent).toContain('whsec_4f2a9c');
    button('Done, the secret is stored').click();
    await fixture.whenStable();
    expect(root().textContent).not.toContain('whsec_4f2a9c');
  });

  it('refuses an address that is not a mail address without asking the server', async () => {
    await type('address', 'not-an-address');
    button('Add recipient').click();
    await fixture.whenStable();

    expect(root().textContent).toContain('Enter a mail address');
  });

  it('sends a test and reloads the log', async () => {
    button('Send test').click();

    http
      .expectOne({ method: 'POST', url: `${URLS.recipients}/${buildRecipient().id}/test` })
      .flush({ notificationId: 'd2' });
    TestBed.tick();
    http.expectOne((r) => r.url === URLS.deliveries).flush({ items: [], nextCursor: null });
    await fixture.whenStable();

    expect(root().textContent).toContain('Nothing was sent yet.');
  });
});
