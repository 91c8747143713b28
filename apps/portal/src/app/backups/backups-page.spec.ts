import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildRun, buildSummary, buildTypeResult } from '../testing/builders';
import { loadSession } from '../testing/session';
import { backupsUrl, historyUrl } from './backups.api';
import { BackupsPage } from './backups-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CONSENT_ERROR =
  "AADSTS700016: Application with identifier 'c0ffee00-0000-4000-8000-000000000001' was not found in the " +
  "directory 'Contoso'. This can happen if the application has not been installed by the administrator.";

describe(BackupsPage.name, () => {
  let fixture: ComponentFixture<BackupsPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [BackupsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(BackupsPage);
    fixture.detectChanges();
    // The history charts have their own spec: here they show no snapshots.
    http
      .expectOne((r) => r.url === historyUrl(TENANT_ID))
      .flush({ days: 30, from: '2026-10-21T00:00:00.000Z', points: [] });
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function text(element: Element | null | undefined): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function rangeLabel(): string {
    return root().querySelector('.mat-mdc-paginator-range-label')?.textContent?.trim() ?? '';
  }

  function expectPage(page: number, pageSize: number) {
    return http.expectOne(
      (r) =>
        r.url === backupsUrl(TENANT_ID) &&
        r.params.get('page') === String(page) &&
        r.params.get('pageSize') === String(pageSize),
    );
  }

  it('lists each run on one line: status, start, mode, trigger, duration and totals in human units', async () => {
    expect(root().querySelector('mat-progress-bar[aria-label="Loading backup runs"]')).not.toBeNull();
    expectPage(1, 10).flush({
      items: [
        buildRun({ runId: 'new', status: 'running', finishedAt: null, summary: null, types: ['users'] }),
        buildRun({
          runId: 'old',
          status: 'partial',
          mode: 'incremental',
          trigger: 'schedule',
          summary: buildSummary({
            status: 'partial',
            durationMs: 125_000,
            requests: 31,
            bytesStored: 2_712_345,
            types: {
              users: buildTypeResult({ objects: 40, added: 2, changed: 3, removed: 1 }),
              auditLogs: buildTypeResult({ objects: 500, added: 12 }),
              signInLogs: buildTypeResult({
                status: 'failed',
                objects: 0,
                added: 0,
                reason: 'Insufficient privileges',
                graphCode: 'Authorization_RequestDenied',
              }),
            },
          }),
          types: ['users', 'signInLogs', 'auditLogs'],
        }),
      ],
      total: 2,
      page: 1,
      pageSize: 10,
    });
    await fixture.whenStable();

    const runs = root().querySelectorAll('li.run');
    expect(runs).toHaveLength(2);
    expect(text(runs[0])).toContain('Running');
    expect(text(runs[0])).toContain('—');
    const line = text(runs[1]!.querySelector('.run-line'));
    expect(line).toContain('Partial');
    expect(line).toContain('Incremental · Scheduled');
    expect(line).toContain('2 min 5 s');
    // Log entries are counted apart from directory objects.
    expect(line).toContain('40 objects');
    expect(line).toContain('+2 ~3 −1');
    expect(line).toContain('12 new log entries');
    expect(line).toContain('31 requests');
    expect(line).toContain('2.7 MB');
    expect(line).not.toContain('2712345');
    expect(line).toContain('1 type not backed up');
    expect(runs[1]!.querySelector('a.run-link')?.getAttribute('href')).toBe('/backups/old');
    // Compact: the per-type figures and errors wait until asked for.
    expect(runs[1]!.querySelector('table')).toBeNull();
    expect(text(runs[1])).not.toContain('Authorization_RequestDenied');
  });

  it('expands a run to its per-type figures and its problems, and folds it again, from the keyboard too', async () => {
    expectPage(1, 10).flush({
      items: [
        buildRun({
          runId: 'failed',
          status: 'failed',
          summary: buildSummary({
            status: 'failed',
            snapshotId: null,
            types: {
              users: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: CONSENT_ERROR }),
              groups: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: CONSENT_ERROR }),
            },
          }),
          types: ['users', 'groups'],
        }),
      ],
      total: 1,
      page: 1,
      pageSize: 10,
    });
    await fixture.whenStable();

    const toggle = root().querySelector<HTMLButtonElement>('li.run button.toggle')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-label')).toContain('Figures per type of the run of');
    toggle.click();
    await fixture.whenStable();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const figures = root().querySelector(`#${toggle.getAttribute('aria-controls')}`)!;
    expect(figures.querySelector('tr[data-type="users"]')).not.toBeNull();
    // One consent problem for both types, with the way out.
    const failures = figures.querySelectorAll('.failure');
    expect(failures).toHaveLength(1);
    expect(text(failures[0])).toContain('Failed: Users, Groups');
    expect(failures[0]!.querySelector('a[href="/settings"]')).not.toBeNull();

    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(root().querySelector('tr[data-type="users"]')).toBeNull();
  });

  it('asks the server for the next page and back', async () => {
    expectPage(1, 10).flush({ items: [buildRun()], total: 25, page: 1, pageSize: 10 });
    await fixture.whenStable();
    expect(rangeLabel()).toBe('1 – 10 of 25');

    // Clicked directly: the paginator harness waits for stability, which a pending request prevents.
    root().querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    (await vi.waitFor(() => expectPage(2, 10))).flush({
      items: [buildRun({ runId: 'p2' })],
      total: 25,
      page: 2,
      pageSize: 10,
    });
    await fixture.whenStable();
    expect(rangeLabel()).toBe('11 – 20 of 25');
    expect(root().querySelector('li.run a.run-link')?.getAttribute('href')).toBe('/backups/p2');

    root().querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-previous')!.click();
    (await vi.waitFor(() => expectPage(1, 10))).flush({
      items: [buildRun()],
      total: 25,
      page: 1,
      pageSize: 10,
    });
    await fixture.whenStable();
    expect(rangeLabel()).toBe('1 – 10 of 25');
  });

  it('says there are no backups yet and points to Settings', async () => {
    expectPage(1, 10).flush({ items: [], total: 0, page: 1, pageSize: 10 });
    await fixture.whenStable();

    expect(root().textContent).toContain('No backups yet.');
    expect(root().querySelector('a[href="/settings"]')).not.toBeNull();
    expect(root().querySelector('li.run')).toBeNull();
  });

  it("shows the server's message when the runs cannot be loaded", async () => {
    expectPage(1, 10).flush(buildErrorBody(500, 'INTERNAL_ERROR', 'Something failed on our side'), {
      status: 500,
      statusText: 'Internal Server Error',
    });
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain('Something failed on our side');
  });
});
