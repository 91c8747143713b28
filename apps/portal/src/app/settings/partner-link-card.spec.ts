import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { CSRF_HEADER } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody } from '../testing/builders';
import { loadSession } from '../testing/session';
import { PartnerLinkCard } from './partner-link-card';
import { partnerLinkUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const LINKED = { partner: { partnerId: 'p-1', name: 'Northwind IT' }, linkedAt: '2026-11-01T09:00:00.000Z' };

describe(PartnerLinkCard.name, () => {
  let fixture: ComponentFixture<PartnerLinkCard>;
  let http: HttpTestingController;
  let documentLoader: HarnessLoader;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [PartnerLinkCard],
      providers: [provideHttpClient(withInterceptors([sessionInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(PartnerLinkCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    documentLoader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    TestBed.tick();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function text(element: Element | null = root()): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function revokeButton(): HTMLButtonElement | undefined {
    return Array.from(root().querySelectorAll('button')).find((b) =>
      text(b).includes('Revoke partner access'),
    );
  }

  async function answerLink(body: object, init?: { status: number; statusText: string }): Promise<void> {
    (await vi.waitFor(() => http.expectOne({ method: 'GET', url: partnerLinkUrl(TENANT_ID) }))).flush(
      body,
      init,
    );
    await fixture.whenStable();
  }

  it('shows the partner managing the tenant and since when', async () => {
    await answerLink(LINKED);

    expect(text(root().querySelector('h2'))).toBe('Managed by partner');
    expect(text()).toContain("Northwind IT looks after this tenant's backups since Nov 1, 2026.");
    expect(revokeButton()).toBeDefined();
  });

  it('shows nothing while no partner manages the tenant', async () => {
    await answerLink({ partner: null, linkedAt: null });

    expect(root().querySelector('mat-card')).toBeNull();
  });

  it("revokes the partner's access after confirming, with the CSRF header", async () => {
    await answerLink(LINKED);

    revokeButton()!.click();
    const dialog = await documentLoader.getHarness(MatDialogHarness);
    expect(await dialog.getTitleText()).toBe("Revoke Northwind IT's access?");
    document.querySelector<HTMLButtonElement>('mat-dialog-actions button.confirm')!.click();

    const revoke = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: partnerLinkUrl(TENANT_ID) }),
    );
    expect(revoke.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    revoke.flush(null, { status: 204, statusText: 'No Content' });
    await answerLink({ partner: null, linkedAt: null });

    expect(root().querySelector('mat-card')).toBeNull();
  });

  it('changes nothing when the revocation is cancelled', async () => {
    await answerLink(LINKED);

    revokeButton()!.click();
    await (await documentLoader.getHarness(MatDialogHarness)).close();

    http.expectNone({ method: 'DELETE', url: partnerLinkUrl(TENANT_ID) });
    expect(revokeButton()).toBeDefined();
  });

  it("shows the server's reason when the access cannot be revoked", async () => {
    await answerLink(LINKED);

    revokeButton()!.click();
    await documentLoader.getHarness(MatDialogHarness);
    document.querySelector<HTMLButtonElement>('mat-dialog-actions button.confirm')!.click();
    (await vi.waitFor(() => http.expectOne({ method: 'DELETE', url: partnerLinkUrl(TENANT_ID) }))).flush(
      buildErrorBody(503, 'DATABASE_UNAVAILABLE', 'The database is not reachable'),
      { status: 503, statusText: 'Service Unavailable' },
    );
    await fixture.whenStable();

    expect(text(root().querySelector('[role="alert"]'))).toBe(
      "Could not revoke the partner's access: The database is not reachable",
    );
    expect(revokeButton()?.disabled).toBe(false);
  });
});
