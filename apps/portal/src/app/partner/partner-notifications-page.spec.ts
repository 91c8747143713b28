import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { PartnerRole } from '@entra-backup/common';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE } from '../core/tenant/tenant-context';
import { partnerNotificationUrls } from '../settings/notifications.api';
import { PARTNER_ID, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { PartnerNotificationsPage } from './partner-notifications-page';
import { PARTNER_ROUTES } from './partner.routes';

const URLS = partnerNotificationUrls(PARTNER_ID);

describe(PartnerNotificationsPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  async function create(role: PartnerRole): Promise<void> {
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
    harness = await RouterTestingHarness.create(`/partner/${PARTNER_ID}/notifications`);
  }

  afterEach(() => http.verify());

  function text(): string {
    return (harness.routeNativeElement?.textContent ?? '').replace(/\s+/g, ' ');
  }

  it("shows an Admin the partner's recipients and what was sent to them", async () => {
    await create('admin');
    http.expectOne(URLS.recipients).flush({
      items: [
        {
          id: 'r1',
          channel: 'email',
          address: 'noc@northwind.test',
          createdAt: '2026-12-01T09:00:00.000Z',
          createdBy: 'user:sam@northwind.test',
        },
      ],
    });
    http.expectOne((r) => r.url === URLS.deliveries).flush({ items: [], nextCursor: null });
    await harness.fixture.whenStable();

    expect(text()).toContain('noc@northwind.test');
    expect(text()).toContain('alerts of every customer tenant');
    expect(text()).toContain('Nothing was sent yet.');
  });

  it('offers an Operator nothing to change and asks the server for nothing', async () => {
    await create('operator');
    await harness.fixture.whenStable();

    expect(text()).toContain("Only the partner's owners and admins manage its notifications.");
    expect(harness.routeNativeElement?.querySelector('eb-notification-recipients')).toBeNull();
  });
});
