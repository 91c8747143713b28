import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { BrowseObjectPage, BrowseSnapshotDetail, BrowseSnapshotPage } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { TENANT_CONTEXT_STORAGE, TenantContext } from '../core/tenant/tenant-context';
import { PARTNER_ID, buildStaffSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { ExplorePage } from './explore-page';
import { objectsUrl, revealUrl, snapshotUrl, snapshotsUrl } from './explore.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SNAPSHOT = {
  id: 'snap-7',
  seq: 7,
  mode: 'full' as const,
  status: 'complete',
  createdAt: '2026-12-01T10:00:00.000Z',
  completedAt: '2026-12-01T10:05:00.000Z',
};

function snapshotList(): BrowseSnapshotPage {
  return { items: [{ ...SNAPSHOT, counts: { users: 2 } }], total: 1, page: 1, pageSize: 100 };
}

function snapshotDetail(): BrowseSnapshotDetail {
  return {
    snapshot: { ...SNAPSHOT, counts: { users: 2, bitlockerKeys: 1 } },
    types: [
      { type: 'users', label: 'Users', count: 2, collections: [{ name: 'users', count: 2, log: false }] },
      {
        type: 'bitlockerKeys',
        label: 'Bitlocker Keys',
        count: 1,
        collections: [{ name: 'recoveryKeys', count: 1, log: false }],
      },
    ],
  };
}

function usersPage(overrides: Partial<BrowseObjectPage> = {}): BrowseObjectPage {
  return {
    snapshot: SNAPSHOT,
    type: 'users',
    collection: 'users',
    log: false,
    timeColumn: null,
    columns: [
      { key: 'displayName', label: 'Display name', kind: 'text' },
      { key: 'department', label: 'Department', kind: 'text' },
      {
        key: 'accountEnabled',
        label: 'Account enabled',
        kind: 'boolean',
        filter: [
          { value: 'true', label: 'Enabled' },
          { value: 'false', label: 'Disabled' },
        ],
      },
    ],
    items: [
      {
        id: 'u1',
        name: 'Ada Lovelace',
        values: { displayName: 'Ada Lovelace', department: 'R&D', accountEnabled: true },
      },
      {
        id: 'u2',
        name: 'Alan Turing',
        values: { displayName: 'Alan Turing', department: null, accountEnabled: false },
      },
    ],
    total: 2,
    totalExact: true,
    page: 1,
    pageSize: 50,
    sort: 'displayName',
    order: 'asc',
    ...overrides,
  };
}

describe(ExplorePage.name, () => {
  let fixture: ComponentFixture<ExplorePage>;
  let http: HttpTestingController;
  let navigate: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ExplorePage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: TENANT_CONTEXT_STORAGE, useValue: null },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(ExplorePage);
  });

  afterEach(() => http.verify());

  const root = () => fixture.nativeElement as HTMLElement;

  async function load(inputs: Record<string, string> = {}, page: BrowseObjectPage = usersPage()) {
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    fixture.detectChanges();
    http.expectOne((r) => r.url === snapshotsUrl(TENANT_ID)).flush(snapshotList());
    http.expectOne(snapshotUrl(TENANT_ID, inputs['snapshot'] ?? 'latest')).flush(snapshotDetail());
    // The object page's request follows from the snapshot's answer: let the resource issue it.
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    const request = http.expectOne((r) => r.url === objectsUrl(TENANT_ID, 'snap-7', page.type));
    request.flush(page);
    await fixture.whenStable();
    fixture.detectChanges();
    return request.request;
  }

  it('defaults to the latest snapshot and its first type, and shows the rows readably', async () => {
    const request = await load();
    expect(request.params.get('page')).toBe('1');
    expect(request.params.get('pageSize')).toBe('50');
    const rows = Array.from(root().querySelectorAll('tr[data-id]')).map((row) =>
      (row.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual(['Ada Lovelace R&D Enabled', 'Alan Turing — Disabled']);
    const link = root().querySelector<HTMLAnchorElement>('tr[data-id="u1"] a.object-link')!;
    expect(link.getAttribute('href')).toBe('/objects/users/users/u1?snapshot=snap-7');
    expect(
      root().querySelector('nav[aria-label="Object types"] [aria-current="page"]')?.textContent,
    ).toContain('Users');
    const compare = Array.from(root().querySelectorAll('a')).find((a) => a.textContent?.includes('Compare'));
    expect(compare?.getAttribute('href')).toBe('/compare?from=snap-7');
  });

  it('passes search, sort, filters and paging to the server through the URL', async () => {
    const request = await load({
      search: 'ada',
      sort: 'department',
      order: 'desc',
      filter: 'accountEnabled:false',
      page: '3',
    });
    expect(request.params.get('search')).toBe('ada');
    expect(request.params.get('sort')).toBe('department');
    expect(request.params.get('order')).toBe('desc');
    expect(request.params.get('filter')).toBe('accountEnabled:false');
    expect(request.params.get('page')).toBe('3');

    const input = root().querySelector<HTMLInputElement>('input[name="search"]')!;
    input.value = 'turing';
    input.dispatchEvent(new Event('input'));
    root().querySelector<HTMLFormElement>('form.search')!.dispatchEvent(new Event('submit'));
    expect(navigate).toHaveBeenLastCalledWith([], {
      queryParams: { search: 'turing', page: null },
      queryParamsHandling: 'merge',
    });
  });

  it('offers "Restore…" for the selected rows', async () => {
    await load();
    const restore = () =>
      Array.from(root().querySelectorAll('a')).find((a) => a.textContent?.includes('Restore'))!;
    expect(restore().getAttribute('aria-disabled')).toBe('true');
    root().querySelector<HTMLInputElement>('tr[data-id="u2"] input[type="checkbox"]')!.click();
    fixture.detectChanges();
    expect(restore().getAttribute('aria-disabled')).toBeNull();
    expect(decodeURIComponent(restore().getAttribute('href')!)).toBe(
      '/restore/new?snapshot=snap-7&types=users&ids=u2',
    );
  });

  it('reveals a BitLocker key only after confirming, through the audited endpoint', async () => {
    await load(
      { type: 'bitlockerKeys' },
      usersPage({
        type: 'bitlockerKeys',
        collection: 'recoveryKeys',
        columns: [{ key: 'device', label: 'Device', kind: 'text' }],
        items: [{ id: 'k1', name: 'dev-1', values: { device: 'LAPTOP-7' } }],
        total: 1,
      }),
    );
    expect(root().textContent).not.toMatch(/\d{6}-\d{6}/);
    Array.from(root().querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Reveal'))!
      .click();
    fixture.detectChanges();
    await fixture.whenStable();
    const dialog = document.querySelector('eb-reveal-key-dialog')!;
    expect(dialog.textContent).toContain('LAPTOP-7');
    http.expectNone(revealUrl(TENANT_ID, 'snap-7', 'k1'));
    Array.from(dialog.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Reveal key'))!
      .click();
    const reveal = http.expectOne(revealUrl(TENANT_ID, 'snap-7', 'k1'));
    expect(reveal.request.method).toBe('POST');
    expect(reveal.request.body).toEqual({ confirm: true });
    reveal.flush({
      id: 'k1',
      deviceId: 'd1',
      key: '111111-222222-333333-444444-555555-666666-777777-888888',
    });
    await fixture.whenStable();
    TestBed.tick();
    expect(document.querySelector('eb-reveal-key-dialog')!.textContent).toContain('111111-222222');
  });

  it("offers a partner's Viewer no export, no selection to restore and no key reveal", async () => {
    await loadSession(
      TestBed.inject(SessionStore),
      http,
      buildStaffSession({
        partners: [{ partnerId: PARTNER_ID, partnerName: 'Northwind IT', role: 'viewer' }],
      }),
    );
    TestBed.inject(TenantContext).open(TENANT_ID);
    await load(
      { type: 'bitlockerKeys' },
      usersPage({
        type: 'bitlockerKeys',
        collection: 'recoveryKeys',
        columns: [{ key: 'deviceName', label: 'Device', kind: 'text' }],
        items: [{ id: 'k1', name: 'LAPTOP-1', values: { deviceName: 'LAPTOP-1' } }],
      }),
    );

    const labels = Array.from(root().querySelectorAll('a, button')).map((e) => e.textContent ?? '');
    expect(labels.some((l) => l.includes('Export'))).toBe(false);
    expect(labels.some((l) => l.includes('Restore'))).toBe(false);
    expect(labels.some((l) => l.includes('Reveal'))).toBe(false);
    expect(root().querySelector('tr[data-id="k1"] input[type="checkbox"]')).toBeNull();
    expect(labels.some((l) => l.includes('Compare'))).toBe(true);
  });
});
