import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildErrorBody, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { restoresUrl } from './restore.api';
import { RESTORE_ID, TENANT_ID, buildCounts, buildRestoreRun } from './restore-testing';
import { RestoresPage } from './restores-page';

describe(RestoresPage.name, () => {
  let fixture: ComponentFixture<RestoresPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RestoresPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(RestoresPage);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function expectPage(page: number) {
    return http.expectOne(
      (r) =>
        r.url === restoresUrl(TENANT_ID) &&
        r.params.get('page') === String(page) &&
        r.params.get('pageSize') === '20',
    );
  }

  function cells(restoreId: string): string[] {
    const row = root().querySelector(`tr[data-restore="${restoreId}"]`);
    return Array.from(row?.querySelectorAll('td') ?? []).map((c) =>
      (c.textContent ?? '')
        .replace(/check_circle|warning|error|sync/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }

  it('lists the restores with status, when, who, snapshot and counts, each linking to its page', async () => {
    expectPage(1).flush({
      items: [
        buildRestoreRun({
          restoreId: RESTORE_ID,
          status: 'partial',
          actor: 'user:ada@contoso.test',
          snapshotId: 'snap-12',
          counts: buildCounts({ recreated: 1, updated: 3, failed: 1 }),
        }),
        buildRestoreRun({ restoreId: 'r-2', status: 'running', actor: 'cli:root', counts: buildCounts() }),
      ],
      total: 2,
      page: 1,
      pageSize: 20,
    });
    await fixture.whenStable();

    const first = cells(RESTORE_ID);
    expect(first[0]).toBe('Partial');
    expect(first[1]).toMatch(/Dec 7, 2026/);
    expect(first.slice(2)).toEqual(['ada@contoso.test', 'snap-12', '1 re-created · 3 updated · 1 failed']);
    expect(cells('r-2')[2]).toBe('root (command line)');
    expect(root().querySelector(`tr[data-restore="${RESTORE_ID}"] a`)?.getAttribute('href')).toBe(
      `/restores/${RESTORE_ID}`,
    );
    expect(root().querySelector('nav.pager')).toBeNull();
  });

  it('pages through a long history', async () => {
    expectPage(1).flush({ items: [buildRestoreRun()], total: 45, page: 1, pageSize: 20 });
    await fixture.whenStable();
    expect(root().querySelector('nav.pager')?.textContent).toContain('Page 1 of 3');

    Array.from(root().querySelectorAll<HTMLButtonElement>('nav.pager button'))
      .find((b) => b.textContent?.includes('Older'))!
      .click();
    fixture.detectChanges();
    expectPage(2).flush({
      items: [buildRestoreRun({ restoreId: 'older' })],
      total: 45,
      page: 2,
      pageSize: 20,
    });
    await fixture.whenStable();
    expect(root().querySelector('tr[data-restore="older"]')).not.toBeNull();
  });

  it('says when there is no restore yet, and shows a load error', async () => {
    expectPage(1).flush({ items: [], total: 0, page: 1, pageSize: 20 });
    await fixture.whenStable();
    expect(root().querySelector('.empty')?.textContent).toContain('No restore yet');

    (fixture.componentInstance as unknown as { reload(): void }).reload();
    fixture.detectChanges();
    expectPage(1).flush(buildErrorBody(500, 'INTERNAL', 'Database unavailable'), {
      status: 500,
      statusText: 'Server Error',
    });
    await fixture.whenStable();
    expect(root().querySelector('[role="alert"]')?.textContent).toContain('Database unavailable');
  });

  it('offers "New restore" to who may restore, not to a Viewer', async () => {
    const newRestore = () =>
      Array.from(root().querySelectorAll('a')).find((a) => a.textContent?.includes('New restore'));
    expectPage(1).flush({ items: [], total: 0, page: 1, pageSize: 20 });
    await fixture.whenStable();
    expect(newRestore()).toBeDefined();

    await loadSession(
      TestBed.inject(SessionStore),
      http,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'viewer' }],
      }),
    );
    TestBed.inject(TenantContext).open(TENANT_ID);
    await fixture.whenStable();

    expect(newRestore()).toBeUndefined();
  });
});
