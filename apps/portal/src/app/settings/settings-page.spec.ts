import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  type BackupRunListItem,
  CSRF_HEADER,
  DEFAULT_ALERT_SETTINGS,
  type PartnerRole,
  type SessionResponse,
  DEFAULT_RETENTION_POLICY,
  type RetentionSettingsResponse,
} from '@entra-backup/common';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS, backupsUrl, runUrl } from '../backups/backups.api';
import { sessionInterceptor } from '../core/http/session.interceptor';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../core/tenant/tenant-context';
import {
  buildConsent,
  buildErrorBody,
  buildRun,
  buildSchedule,
  buildSession,
  buildSettingsStatus,
  buildSummary,
  buildTenant,
  buildStaffSession,
  buildTypeResult,
  PARTNER_ID,
} from '../testing/builders';
import { loadSession } from '../testing/session';
import { TENANTS_URL } from '../tenants/tenants.api';
import { breakGlassAccountsUrl, emergencyContactsUrl, notificationsUrl } from './emergency-access.api';
import { alertSettingsUrl, tenantNotificationUrls } from './notifications.api';
import { SettingsPage } from './settings-page';
import { consentUrl, partnerLinkUrl, retentionUrl, scheduleUrl, settingsUrl } from './settings.api';
import { reconciliationUrl } from './reconciliation.api';

const WEEKLY_RECONCILIATION = { tenantId: '', everyDays: 7, isDefault: true, updatedAt: null };

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const RETENTION: RetentionSettingsResponse = {
  tenantId: TENANT_ID,
  policy: DEFAULT_RETENTION_POLICY,
  isDefault: true,
  legalHold: false,
  legalHoldReason: null,
  updatedAt: null,
  updatedBy: null,
  lastPrune: null,
};

describe(SettingsPage.name, () => {
  let fixture: ComponentFixture<SettingsPage>;
  let http: HttpTestingController;

  async function create(
    tenantId: string = TENANT_ID,
    session: SessionResponse = buildSession(),
    role?: PartnerRole,
  ): Promise<void> {
    TestBed.configureTestingModule({
      imports: [SettingsPage],
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        // Progress by polling (as where EventSource is unavailable), quickly.
        { provide: EVENT_SOURCE_FACTORY, useValue: null },
        { provide: PROGRESS_POLL_INTERVAL_MS, useValue: 5 },
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
    // Partner staff opened the customer from their dashboard (the guard reads it from the URL).
    if (role !== undefined) TestBed.inject(TenantContext).open(tenantId);
    fixture = TestBed.createComponent(SettingsPage);
    fixture.componentRef.setInput('tenantId', tenantId);
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  /** Text content with runs of white space as one space. */
  function text(selector?: string): string {
    const element = selector === undefined ? root() : root().querySelector(selector);
    return (element?.textContent ?? '').replace(/\s+/g, ' ');
  }

  function triggerButton(): HTMLButtonElement | null {
    return root().querySelector<HTMLButtonElement>('button[aria-label="Back up now"]');
  }

  async function answerCards(
    latestRuns: BackupRunListItem[] = [buildRun()],
    /** The tenant's own admin sees the partner link, emergency access and notifications cards; partner staff below Owner neither. */
    options: { partnerLink?: boolean; emergency?: boolean; notifications?: boolean } = {},
  ): Promise<void> {
    http.expectOne(`${TENANTS_URL}/${TENANT_ID}`).flush(buildTenant({ displayName: 'Contoso' }));
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: true }));
    http.expectOne(settingsUrl(TENANT_ID)).flush(buildSettingsStatus({ enabledTypes: { users: true } }));
    http.expectOne(scheduleUrl(TENANT_ID)).flush(buildSchedule());
    http.expectOne(reconciliationUrl(TENANT_ID)).flush(WEEKLY_RECONCILIATION);
    http.expectOne(retentionUrl(TENANT_ID)).flush(RETENTION);
    if (options.partnerLink ?? true) {
      http.expectOne(partnerLinkUrl(TENANT_ID)).flush({ partner: null, linkedAt: null });
    }
    if (options.emergency ?? options.partnerLink ?? true) {
      http.expectOne(breakGlassAccountsUrl(TENANT_ID)).flush({ items: [] });
      http
        .expectOne(emergencyContactsUrl(TENANT_ID))
        .flush({ emails: [], webhookUrl: null, updatedAt: null, updatedBy: null });
    }
    if (options.notifications ?? options.partnerLink ?? true) {
      http.expectOne(alertSettingsUrl(TENANT_ID)).flush(DEFAULT_ALERT_SETTINGS);
      http.expectOne(tenantNotificationUrls(TENANT_ID).recipients).flush({ items: [] });
    }
    // The emergency access card and the notifications card each read the latest notifications.
    for (const request of http.match((r) => r.url === notificationsUrl(TENANT_ID)))
      request.flush({ items: [], nextCursor: null });
    latestRunRequest().flush({ items: latestRuns, total: latestRuns.length, page: 1, pageSize: 1 });
    await fixture.whenStable();
  }

  function latestRunRequest() {
    return http.expectOne(
      (r) =>
        r.url === backupsUrl(TENANT_ID) && r.params.get('page') === '1' && r.params.get('pageSize') === '1',
    );
  }

  it('shows the tenant with its consent, object types and schedule, and the labelled trigger icon', async () => {
    await create();
    await answerCards();

    expect(root().textContent).toContain(`Contoso · ${TENANT_ID}`);
    expect(text('eb-consent-card')).toContain('Granted by admin@contoso.test');
    expect(root().querySelectorAll('eb-object-types-card mat-slide-toggle')).toHaveLength(14);
    expect(root().querySelector('eb-schedule-card')?.textContent).toContain('Every 12 hours');
    expect(triggerButton()?.disabled).toBe(false);
  });

  it("links the tenant's admins to the tenant's API keys", async () => {
    await create();
    await answerCards();

    const link = Array.from(root().querySelectorAll('a')).find((a) =>
      a.textContent?.includes('Manage API keys'),
    );
    expect(link?.getAttribute('href')).toBe(`/settings/${TENANT_ID}/api-keys`);
  });

  it('starts a backup with the CSRF header and shows its progress per type until it completes', async () => {
    await create();
    await answerCards();

    triggerButton()!.click();
    const start = http.expectOne({ method: 'POST', url: backupsUrl(TENANT_ID) });
    expect(start.request.headers.get(CSRF_HEADER)).toBe('csrf-token-1');
    start.flush({ runId: 'run-7' }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();
    expect(triggerButton()?.disabled).toBe(true);

    const running = await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-7')));
    running.flush(
      buildRun({ runId: 'run-7', status: 'running', finishedAt: null, summary: null, types: ['users'] }),
    );
    await fixture.whenStable();
    expect(root().textContent).toContain('Backup running');
    expect(root().querySelector('li[data-type="users"]')?.textContent).toContain('Waiting');

    const done = await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-7')));
    done.flush(
      buildRun({
        runId: 'run-7',
        summary: buildSummary({ runId: 'run-7', types: { users: buildTypeResult({ objects: 42 }) } }),
      }),
    );
    // The schedule is read again: the run may have changed it.
    const schedule = await vi.waitFor(() => http.expectOne(scheduleUrl(TENANT_ID)));
    schedule.flush(buildSchedule());
    await fixture.whenStable();

    expect(root().textContent).toContain('Backup finished');
    expect(root().querySelector('li[data-type="users"]')?.textContent).toContain('42 objects');
    expect(root().querySelector('li[data-type="users"]')?.textContent).toContain('Succeeded');
    expect(triggerButton()?.disabled).toBe(false);
  });

  it('says a backup is already running when the trigger answers 409', async () => {
    await create();
    await answerCards();

    triggerButton()!.click();
    http
      .expectOne({ method: 'POST', url: backupsUrl(TENANT_ID) })
      .flush(
        buildErrorBody(
          409,
          'BACKUP_ALREADY_RUNNING',
          'A backup is already running for this tenant; try again when it has finished',
        ),
        { status: 409, statusText: 'Conflict' },
      );
    // The page looks for the run in the way, and follows it.
    (await vi.waitFor(() => latestRunRequest())).flush({
      items: [buildRun({ runId: 'other', status: 'running', finishedAt: null, summary: null })],
      total: 1,
      page: 1,
      pageSize: 1,
    });
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'A backup is already running for this tenant.',
    );
    expect(text()).toContain('Backup running');
    expect(triggerButton()?.disabled).toBe(true);
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'other')))).flush(buildRun({ runId: 'other' }));
    (await vi.waitFor(() => http.expectOne(scheduleUrl(TENANT_ID)))).flush(buildSchedule());
    await fixture.whenStable();
    expect(text()).toContain('Backup finished');
    expect(triggerButton()?.disabled).toBe(false);
  });

  it('follows a backup that is already running when the page opens', async () => {
    await create();
    await answerCards([buildRun({ runId: 'scheduled', status: 'running', finishedAt: null, summary: null })]);

    expect(text()).toContain('Backup running');
    expect(triggerButton()?.disabled).toBe(true);
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'scheduled')))).flush(
      buildRun({ runId: 'scheduled' }),
    );
    (await vi.waitFor(() => http.expectOne(scheduleUrl(TENANT_ID)))).flush(buildSchedule());
    await fixture.whenStable();

    expect(text()).toContain('Backup finished');
    expect(triggerButton()?.disabled).toBe(false);
  });

  it("shows the server's reason when a backup cannot start", async () => {
    await create();
    await answerCards();

    triggerButton()!.click();
    http
      .expectOne({ method: 'POST', url: backupsUrl(TENANT_ID) })
      .flush(buildErrorBody(409, 'CONSENT_REQUIRED', 'Grant admin consent in Settings before backing up'), {
        status: 409,
        statusText: 'Conflict',
      });
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'The backup could not be started: Grant admin consent in Settings before backing up',
    );
  });

  it("refuses another tenant's settings without asking the server", async () => {
    await create('11111111-2222-3333-4444-555555555555');
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain('Not your tenant');
    expect(triggerButton()).toBeNull();
    http.expectNone(() => true);
  });

  it("offers a partner's Viewer no backup, no switch and no consent, and hides the partner link", async () => {
    await create(
      TENANT_ID,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'viewer' }],
      }),
      'viewer',
    );
    await answerCards([buildRun()], { partnerLink: false });

    expect(root().textContent).toContain(`Contoso · ${TENANT_ID}`);
    expect(triggerButton()).toBeNull();
    const toggles = Array.from(root().querySelectorAll<HTMLButtonElement>('mat-slide-toggle button'));
    expect(toggles).toHaveLength(14);
    expect(toggles.every((t) => t.disabled)).toBe(true);
    expect(text('eb-object-types-card')).toContain('Your role may see these settings, not change them.');
    expect(root().querySelector('eb-partner-link-card')).toBeNull();
    expect(root().querySelector('eb-emergency-access-card')).toBeNull();
  });

  it('offers a partner\'s Operator "Back up now" but not the settings, nor admin consent', async () => {
    await create(
      TENANT_ID,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'operator' }],
      }),
      'operator',
    );
    http.expectOne(`${TENANTS_URL}/${TENANT_ID}`).flush(buildTenant({ displayName: 'Contoso' }));
    http.expectOne(consentUrl(TENANT_ID)).flush(buildConsent({ granted: false }));
    http.expectOne(settingsUrl(TENANT_ID)).flush(buildSettingsStatus({ consentGranted: false }));
    http.expectOne(scheduleUrl(TENANT_ID)).flush(buildSchedule());
    http.expectOne(reconciliationUrl(TENANT_ID)).flush(WEEKLY_RECONCILIATION);
    http.expectOne(retentionUrl(TENANT_ID)).flush(RETENTION);
    latestRunRequest().flush({ items: [], total: 0, page: 1, pageSize: 1 });
    await fixture.whenStable();

    expect(triggerButton()?.disabled).toBe(false);
    expect(text('eb-consent-card')).not.toContain('Grant admin consent');
    expect(text('eb-consent-card')).toContain('Only a Global Administrator of this tenant, signed in here');
  });
});
