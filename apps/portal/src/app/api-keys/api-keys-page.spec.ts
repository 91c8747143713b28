import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { type ApiKey, type ApiKeyPage, type CreatedApiKey, CSRF_HEADER } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { type ApiKeyOwner, apiKeysUrl, apiKeyUrl, partnerTenantsUrl } from './api-keys.api';
import { ApiKeysPage } from './api-keys-page';
import { endOfLocalDay } from './create-api-key-dialog';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PARTNER_ID = '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10';
const CUSTOMER_A = '11111111-2222-4333-8444-555555555555';
const CUSTOMER_B = '22222222-2222-4333-8444-555555555555';
const TENANT: ApiKeyOwner = { kind: 'tenant', id: TENANT_ID };
const PARTNER: ApiKeyOwner = { kind: 'partner', id: PARTNER_ID };
const SECRET_KEY = 'eb_newkey01_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

function buildKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    keyId: '0b6f7c1e-8a55-4d0e-9a3c-2f4f1d9b7e21',
    prefix: 'eb_k3x9q2mz',
    name: 'Nightly reporting',
    scopes: ['read', 'backup'],
    ownerKind: 'tenant',
    ownerId: TENANT_ID,
    tenantIds: null,
    createdBy: 'user:ada@contoso.test',
    createdAt: '2026-11-20T09:30:00.000Z',
    expiresAt: null,
    lastUsedAt: '2026-11-25T02:00:12.000Z',
    lastUsedAddress: '203.0.113.7',
    revokedAt: null,
    replacedBy: null,
    status: 'active',
    ...overrides,
  };
}

function pageOf(items: ApiKey[]): ApiKeyPage {
  return { items, total: items.length, page: 1, pageSize: 200, nextCursor: null };
}

function created(overrides: Partial<CreatedApiKey> = {}): CreatedApiKey {
  return {
    ...buildKey({ keyId: 'c0ffee00-0000-4000-8000-000000000001', prefix: 'eb_newkey01' }),
    key: SECRET_KEY,
    ...overrides,
  };
}

/** A button's visible words, without its icon's ligature name. */
function labelOf(button: HTMLButtonElement): string {
  const copy = button.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('mat-icon').forEach((icon) => icon.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe(ApiKeysPage.name, () => {
  let fixture: ComponentFixture<ApiKeysPage>;
  let http: HttpTestingController;
  let copied: string[];

  async function create(
    input: { tenantId: string } | { partnerId: string },
    user: Partial<NonNullable<ReturnType<typeof buildSession>['user']>> = { tenantAdmin: true },
  ): Promise<void> {
    copied = [];
    TestBed.configureTestingModule({
      imports: [ApiKeysPage],
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: Clipboard, useValue: { copy: (text: string) => copied.push(text) > 0 } },
        // Dialogs close at once instead of after an animation jsdom never runs.
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const session = buildSession();
    await loadSession(TestBed.inject(SessionStore), http, {
      ...session,
      user: { ...session.user!, ...user },
    });
    fixture = TestBed.createComponent(ApiKeysPage);
    for (const [name, value] of Object.entries(input)) fixture.componentRef.setInput(name, value);
    // Not `whenStable()`: it would wait for the list request the test answers next.
    fixture.detectChanges();
    TestBed.tick();
  }

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((e) => (e.innerHTML = ''));
  });

  function text(element: Element | null = fixture.nativeElement as HTMLElement): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ');
  }

  function listRequest(owner: ApiKeyOwner) {
    return http.expectOne((r) => r.method === 'GET' && r.url === apiKeysUrl(owner));
  }

  async function settle(): Promise<void> {
    fixture.detectChanges();
    await fixture.whenStable();
    TestBed.tick();
  }

  function button(label: string, root: ParentNode = document): HTMLButtonElement {
    const found = Array.from(root.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.getAttribute('aria-label') === label || labelOf(b) === label,
    );
    if (found === undefined) throw new Error(`no button ${label}`);
    return found;
  }

  function dialog(selector: string): HTMLElement {
    const found = document.querySelector<HTMLElement>(selector);
    if (found === null) throw new Error(`no ${selector}`);
    return found;
  }

  it("lists the tenant's keys with their use and status, never asking for a secret", async () => {
    await create({ tenantId: TENANT_ID });

    const list = listRequest(TENANT);
    expect(list.request.params.get('pageSize')).toBe('200');
    list.flush(
      pageOf([
        buildKey(),
        buildKey({
          keyId: 'k2',
          name: 'Old script',
          prefix: 'eb_oldoldol',
          status: 'revoked',
          revokedAt: '2026-11-21T00:00:00.000Z',
        }),
      ]),
    );
    await settle();

    const rows = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('tbody tr'));
    expect(rows.map((r) => text(r.querySelector('td'))).map((t) => t.trim())).toEqual([
      'Nightly reporting eb_k3x9q2mz',
      'Old script eb_oldoldol',
    ]);
    expect(text(rows[0]!)).toContain('Read, Back up');
    // The creator by sign-in name, not as the audit trail spells it.
    expect(text(rows[0]!.querySelectorAll('td')[2]!)).toContain('ada@contoso.test');
    expect(text(rows[0]!)).not.toContain('user:');
    expect(text(rows[0]!)).toContain('203.0.113.7');
    expect(text(rows[0]!)).toContain('active');
    // A revoked key can be neither rotated nor revoked again.
    expect(rows[1]!.querySelectorAll('button')).toHaveLength(0);
    expect(rows[0]!.querySelectorAll('button')).toHaveLength(2);
  });

  it('creates a key and shows it once, with a copy button and a warning', async () => {
    await create({ tenantId: TENANT_ID });
    listRequest(TENANT).flush(pageOf([]));
    await settle();
    expect(text()).toContain('No API keys yet');

    button('Create key', fixture.nativeElement as HTMLElement).click();
    await settle();
    const form = dialog('eb-create-api-key-dialog');
    expect(button('Create key', form).disabled).toBe(true);
    const name = form.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'Nightly reporting';
    name.dispatchEvent(new Event('input'));
    // Read is ticked to begin with; add Back up.
    Array.from(form.querySelectorAll('mat-checkbox'))
      .find((c) => c.textContent?.includes('Back up'))!
      .querySelector('input')!
      .click();
    const expiry = form.querySelector<HTMLInputElement>('input[type="date"]')!;
    expiry.value = '2030-06-30';
    expiry.dispatchEvent(new Event('input'));
    await settle();
    button('Create key', form).click();

    const post = http.expectOne({ method: 'POST', url: apiKeysUrl(TENANT) });
    expect(post.request.body).toEqual({
      name: 'Nightly reporting',
      scopes: ['read', 'backup'],
      expiresAt: endOfLocalDay('2030-06-30'),
    });
    expect(post.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    post.flush(created());
    await settle();

    expect(text(form)).toContain('Nightly reporting · eb_newkey01');
    expect(text(form)).toContain('You will not see it again');
    expect(form.querySelector('[aria-label="API key"]')!.textContent).toBe(SECRET_KEY);
    button('Copy the API key', form).click();
    expect(copied).toEqual([SECRET_KEY]);

    button('Done', form).click();
    await settle();
    listRequest(TENANT).flush(pageOf([created()]));
    await settle();
    expect(document.querySelector('eb-create-api-key-dialog')).toBeNull();
    // The listed key no longer carries the secret.
    expect(text()).not.toContain(SECRET_KEY);
  });

  it('shows why a key could not be created, and keeps the form', async () => {
    await create({ tenantId: TENANT_ID });
    listRequest(TENANT).flush(pageOf([]));
    await settle();
    button('Create key', fixture.nativeElement as HTMLElement).click();
    await settle();
    const form = dialog('eb-create-api-key-dialog');
    const name = form.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'Reporting';
    name.dispatchEvent(new Event('input'));
    await settle();
    button('Create key', form).click();

    http
      .expectOne({ method: 'POST', url: apiKeysUrl(TENANT) })
      .flush(buildErrorBody(400, 'API_KEY_INVALID_REQUEST', 'expiresAt must be in the future'), {
        status: 400,
        statusText: 'Bad Request',
      });
    await settle();

    expect(form.querySelector('[role="alert"]')!.textContent).toContain('expiresAt must be in the future');
    expect(form.querySelector('input[name="name"]')).not.toBeNull();
  });

  it('revokes a key only after confirming', async () => {
    await create({ tenantId: TENANT_ID });
    listRequest(TENANT).flush(pageOf([buildKey()]));
    await settle();

    button('Revoke Nightly reporting', fixture.nativeElement as HTMLElement).click();
    await settle();
    const confirm = dialog('eb-revoke-api-key-dialog');
    expect(text(confirm)).toContain('refused from its next request on');
    http.expectNone(apiKeyUrl(TENANT, buildKey().keyId));
    button('Revoke key', confirm).click();

    const revoke = http.expectOne({ method: 'DELETE', url: apiKeyUrl(TENANT, buildKey().keyId) });
    revoke.flush(buildKey({ status: 'revoked', revokedAt: '2026-11-26T08:00:00.000Z' }));
    await settle();
    listRequest(TENANT).flush(pageOf([buildKey({ status: 'revoked' })]));
    await settle();
    expect(document.querySelector('eb-revoke-api-key-dialog')).toBeNull();
  });

  it('rotates a key with the chosen grace period and shows the new key once', async () => {
    await create({ tenantId: TENANT_ID });
    listRequest(TENANT).flush(pageOf([buildKey()]));
    await settle();

    button('Rotate Nightly reporting', fixture.nativeElement as HTMLElement).click();
    await settle();
    const rotate = dialog('eb-rotate-api-key-dialog');
    Array.from(rotate.querySelectorAll('mat-radio-button'))
      .find((r) => r.textContent?.includes('for an hour'))!
      .querySelector('input')!
      .click();
    await settle();
    button('Rotate key', rotate).click();

    const post = http.expectOne({ method: 'POST', url: `${apiKeyUrl(TENANT, buildKey().keyId)}/rotate` });
    expect(post.request.body).toEqual({ graceMinutes: 60 });
    post.flush(created({ name: 'Nightly reporting' }));
    await settle();

    expect(text(rotate)).toContain('You will not see it again');
    expect(rotate.querySelector('[aria-label="API key"]')!.textContent).toBe(SECRET_KEY);
    button('Done', rotate).click();
    await settle();
    listRequest(TENANT).flush(pageOf([]));
  });

  it("shows a partner's keys under the partner portal's heading and tabs", async () => {
    await create(
      { partnerId: PARTNER_ID },
      {
        tenantAdmin: false,
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Contoso MSP', role: 'owner' }],
      },
    );
    listRequest(PARTNER).flush(pageOf([]));
    await settle();

    const root = fixture.nativeElement as HTMLElement;
    expect(text(root.querySelector('h1'))).toBe('API keys');
    expect(text()).toContain('Contoso MSP · your role: Owner');
    const tabs = Array.from(root.querySelectorAll('nav[aria-label="Partner portal"] a'));
    expect(tabs.map((a) => [text(a).trim(), a.getAttribute('href')])).toEqual([
      ['Customers', `/partner/${PARTNER_ID}`],
      ['Onboarding', `/partner/${PARTNER_ID}/onboarding`],
      ['Staff', `/partner/${PARTNER_ID}/staff`],
      ['Notifications', `/partner/${PARTNER_ID}/notifications`],
      ['API keys', `/partner/${PARTNER_ID}/api-keys`],
    ]);
    expect(button('Create key', root).disabled).toBe(false);
  });

  it('lets a partner Admin limit a new key to some customer tenants', async () => {
    await create(
      { partnerId: PARTNER_ID },
      {
        tenantAdmin: false,
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Contoso MSP', role: 'admin' }],
      },
    );
    listRequest(PARTNER).flush(pageOf([]));
    await settle();
    expect(text()).toContain("partner's customer tenants");

    button('Create key', fixture.nativeElement as HTMLElement).click();
    await settle();
    const form = dialog('eb-create-api-key-dialog');
    const name = form.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'Backups for A';
    name.dispatchEvent(new Event('input'));
    Array.from(form.querySelectorAll('mat-radio-button'))
      .find((r) => r.textContent?.includes('Only the tenants chosen'))!
      .querySelector('input')!
      .click();
    fixture.detectChanges();
    TestBed.tick();
    http
      .expectOne((r) => r.url === partnerTenantsUrl(PARTNER_ID))
      .flush({
        items: [CUSTOMER_A, CUSTOMER_B].map((tenantId, i) => ({
          tenantId,
          displayName: `Customer ${'AB'[i]}`,
          linkedAt: null,
          consent: { state: 'ok', missing: [] },
          lastBackup: null,
          nextBackupAt: null,
          failingTypes: [],
          enabledTypes: [],
          storageBytes: 0,
        })),
        nextCursor: null,
        total: 2,
      });
    await settle();
    // No tenant chosen yet: nothing to create.
    expect(button('Create key', form).disabled).toBe(true);
    Array.from(form.querySelectorAll('mat-checkbox'))
      .find((c) => c.textContent?.includes('Customer A'))!
      .querySelector('input')!
      .click();
    await settle();
    button('Create key', form).click();

    const post = http.expectOne({ method: 'POST', url: apiKeysUrl(PARTNER) });
    expect(post.request.body).toEqual({ name: 'Backups for A', scopes: ['read'], tenantIds: [CUSTOMER_A] });
    post.flush(created({ ownerKind: 'partner', ownerId: PARTNER_ID, tenantIds: [CUSTOMER_A] }));
    await settle();
    expect(text(form)).toContain('Nightly reporting · eb_newkey01');
    expect(text(form)).toContain('You will not see it again');
    button('Done', form).click();
    await settle();
    listRequest(PARTNER).flush(pageOf([]));
  });

  it('asks nothing of the API for someone who may not manage the keys', async () => {
    await create(
      { partnerId: PARTNER_ID },
      {
        tenantAdmin: true,
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Contoso MSP', role: 'operator' }],
      },
    );

    expect(text()).toContain('You cannot manage these API keys');
    expect((fixture.nativeElement as HTMLElement).querySelector('button')).toBeNull();
    http.expectNone(apiKeysUrl(PARTNER));
  });

  it("does not let an admin manage another tenant's keys from the portal", async () => {
    await create({ tenantId: CUSTOMER_A });

    expect(text()).toContain('You cannot manage these API keys');
    http.expectNone(apiKeysUrl({ kind: 'tenant', id: CUSTOMER_A }));
  });
});
