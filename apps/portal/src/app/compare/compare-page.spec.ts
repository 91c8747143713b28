import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { CompareObjectPage, CompareSummary } from '@entra-backup/common';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS, runUrl } from '../backups/backups.api';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildRun, buildSummary } from '../testing/builders';
import { loadSession } from '../testing/session';
import { compareUrl } from './compare.api';
import { ComparePage } from './compare-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function buildCompareSummary(overrides: Partial<CompareSummary> = {}): CompareSummary {
  return {
    from: { snapshotId: 'snap-1', seq: 1, takenAt: '2026-12-01T06:00:00.000Z', live: false },
    to: { snapshotId: 'snap-2', seq: 2, takenAt: '2026-12-02T06:00:00.000Z', live: false },
    types: [
      {
        type: 'users',
        label: 'Users',
        log: false,
        primary: { added: 1, changed: 1, removed: 0 },
        collections: [{ collection: 'users', primary: true, added: 1, changed: 1, removed: 0 }],
      },
      {
        type: 'groups',
        label: 'Groups',
        log: false,
        primary: { added: 0, changed: 0, removed: 2 },
        collections: [{ collection: 'groups', primary: true, added: 0, changed: 0, removed: 2 }],
      },
    ],
    totals: { added: 1, changed: 1, removed: 2 },
    ...overrides,
  };
}

function buildObjectPage(summary: CompareSummary): CompareObjectPage {
  return {
    from: summary.from,
    to: summary.to,
    type: 'users',
    page: 1,
    pageSize: 25,
    total: 2,
    items: [
      { collection: 'users', primary: true, id: 'u9', name: 'New Person', change: 'added', properties: [] },
      {
        collection: 'users',
        primary: true,
        id: 'u1',
        name: 'Adele Vance',
        change: 'changed',
        properties: [
          { kind: 'value', path: 'department', old: 'Sales', new: 'Finance' },
          {
            kind: 'references',
            path: 'manager',
            added: [{ id: 'u3', name: 'Lee Gu', kind: 'user' }],
            removed: [{ id: 'u2', name: null, kind: 'user' }],
          },
        ],
      },
    ],
  };
}

describe(ComparePage.name, () => {
  let fixture: ComponentFixture<ComparePage>;
  let http: HttpTestingController;

  async function open(query: { from?: string; to?: string; type?: string }) {
    TestBed.configureTestingModule({
      imports: [ComparePage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: EVENT_SOURCE_FACTORY, useValue: null },
        { provide: PROGRESS_POLL_INTERVAL_MS, useValue: 1 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(ComparePage);
    for (const [name, value] of Object.entries(query)) fixture.componentRef.setInput(name, value);
    await settle();
    http
      .expectOne((r) => r.url === `/api/tenants/${TENANT_ID}/snapshots`)
      .flush({
        items: [
          {
            id: 'snap-2',
            seq: 2,
            mode: 'incremental',
            status: 'complete',
            createdAt: '2026-12-02T06:00:00.000Z',
            completedAt: '2026-12-02T06:01:00.000Z',
            counts: {},
          },
          {
            id: 'snap-1',
            seq: 1,
            mode: 'full',
            status: 'complete',
            createdAt: '2026-12-01T06:00:00.000Z',
            completedAt: '2026-12-01T06:01:00.000Z',
            counts: {},
          },
        ],
        total: 2,
        page: 1,
        pageSize: 100,
      });
  }

  afterEach(() => http.verify());

  const root = () => fixture.nativeElement as HTMLElement;
  const text = (selector: string) =>
    (root().querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

  /** Runs effects (which send the resources' requests) and renders; never waits on open requests. */
  async function settle() {
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
  }

  it('offers the snapshots and the live tenant to compare', async () => {
    await open({});
    await settle();
    const options = Array.from(root().querySelectorAll<HTMLOptionElement>('#compare-to option')).map(
      (o) => o.value,
    );
    expect(options).toEqual(['', 'live', 'snap-2', 'snap-1']);
  });

  it('shows the figures per type, then the objects of a type with property changes old → new', async () => {
    await open({ from: 'snap-1', to: 'snap-2' });
    const summary = buildCompareSummary();
    http
      .expectOne(
        (r) =>
          r.url === compareUrl(TENANT_ID) &&
          r.params.get('from') === 'snap-1' &&
          r.params.get('to') === 'snap-2',
      )
      .flush(summary);
    await settle();

    const chips = (type: string) =>
      Array.from(root().querySelectorAll(`.types [data-type="${type}"] .chip`)).map((c) =>
        c.textContent?.trim(),
      );
    expect(chips('users')).toEqual(['1 added', '1 changed']);
    expect(chips('groups')).toEqual(['2 removed']);
    expect(root().querySelector('.types [data-type="users"]')?.getAttribute('aria-label')).toBe(
      'Users: 1 added, 1 changed',
    );
    expect(root().querySelector('.types [data-type="users"]')?.getAttribute('aria-pressed')).toBe('true');
    const csv = root().querySelector<HTMLAnchorElement>('.downloads a')!;
    expect(csv.getAttribute('href')).toBe(`${compareUrl(TENANT_ID)}/compare.csv?from=snap-1&to=snap-2`);

    const objects = http.expectOne((r) => r.url === `${compareUrl(TENANT_ID)}/objects`);
    expect(objects.request.params.get('type')).toBe('users');
    objects.flush(buildObjectPage(summary));
    await settle();

    expect(text('[data-id="u9"] .name')).toContain('New Person');
    expect(root().querySelector('[data-id="u9"] mat-checkbox')).toBeNull();
    const link = root().querySelector<HTMLAnchorElement>('[data-id="u1"] .name a')!;
    expect(link.getAttribute('href')).toBe('/objects/users/users/u1?snapshot=snap-2');

    const toggle = root().querySelector<HTMLButtonElement>('[data-id="u1"] .details-toggle')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const property = (n: number, part: string) =>
      (root().querySelectorAll('[data-id="u1"] .property')[n]?.querySelector(part)?.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    expect([property(0, 'dt'), property(0, '.old'), property(0, '.new')]).toEqual([
      'department',
      'Old value: Sales',
      'New value: Finance',
    ]);
    expect([property(1, 'dt'), property(1, '.new'), property(1, '.old')]).toEqual([
      'manager',
      '+ Added: Lee Gu',
      '− Removed: u2',
    ]);

    root().querySelector<HTMLInputElement>('[data-id="u1"] mat-checkbox input')!.click();
    await settle();
    const restore = root().querySelector<HTMLAnchorElement>('a.restore')!;
    expect(restore.textContent).toContain('Restore 1 selected…');
    expect(restore.getAttribute('href')).toBe('/restore/new?snapshot=snap-1&types=users&ids=u1');
  });

  it('reads the live tenant first, saying so, then compares with what it read', async () => {
    await open({ from: 'snap-1', to: 'live' });
    const start = http.expectOne({ method: 'POST', url: `${compareUrl(TENANT_ID)}/live` });
    expect(start.request.body).toEqual({ from: 'snap-1' });
    start.flush({ runId: 'r3' });
    await settle();
    expect(text('.state.reading')).toContain('Reading the live tenant through Microsoft Graph');

    http
      .expectOne(runUrl(TENANT_ID, 'r3'))
      .flush(buildRun({ runId: 'r3', status: 'running', summary: null }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const finished = buildRun({
      runId: 'r3',
      status: 'completed',
      trigger: 'compare',
      summary: buildSummary({ snapshotId: 'snap-live' }),
    });
    http.expectOne(runUrl(TENANT_ID, 'r3')).flush(finished);
    await settle();
    http.expectOne(runUrl(TENANT_ID, 'r3')).flush(finished);
    await settle();

    const summary = buildCompareSummary({
      to: { snapshotId: 'snap-live', seq: 3, takenAt: '2026-12-07T06:00:00.000Z', live: true },
      types: [],
    });
    http
      .expectOne((r) => r.url === compareUrl(TENANT_ID) && r.params.get('to') === 'snap-live')
      .flush(summary);
    await settle();
    expect(root().querySelector('.state.reading')).toBeNull();
    expect(text('.summary-head h2')).toContain('live tenant');
    expect(text('.summary')).toContain('No differences.');
  });

  it("shows the service's reason when the live tenant cannot be read", async () => {
    await open({ from: 'snap-1', to: 'live' });
    http
      .expectOne({ method: 'POST', url: `${compareUrl(TENANT_ID)}/live` })
      .flush(buildErrorBody(409, 'CONSENT_REQUIRED', 'Grant admin consent in Settings before comparing'), {
        status: 409,
        statusText: 'Conflict',
      });
    await settle();
    expect(text('.state.error')).toContain('Grant admin consent in Settings before comparing');
  });
});
