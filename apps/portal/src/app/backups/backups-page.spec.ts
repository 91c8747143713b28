import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildRun, buildSummary, buildTypeResult } from '../testing/builders';
import { loadSession } from '../testing/session';
import { backupsUrl } from './backups.api';
import { BackupsPage } from './backups-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

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
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
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

  it('shows a progress bar while loading, then the runs with status, duration, objects and errors', async () => {
    expect(root().querySelector('mat-progress-bar')).not.toBeNull();
    expectPage(1, 10).flush({
      items: [
        buildRun({ runId: 'new', status: 'running', finishedAt: null, summary: null, types: ['users'] }),
        buildRun({
          runId: 'old',
          status: 'partial',
          summary: buildSummary({
            status: 'partial',
            durationMs: 125_000,
            types: {
              users: buildTypeResult({ objects: 40 }),
              signInLogs: buildTypeResult({
                status: 'failed',
                objects: 0,
                reason: 'Insufficient privileges',
                graphCode: 'Authorization_RequestDenied',
                requestId: 'b1c2d3e4-0000-4000-8000-000000000001',
              }),
            },
          }),
          types: ['users', 'signInLogs'],
        }),
      ],
      total: 2,
      page: 1,
      pageSize: 10,
    });
    await fixture.whenStable();

    expect(root().querySelector('mat-progress-bar')).toBeNull();
    const rows = root().querySelectorAll('tr[mat-row]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('Running');
    expect(rows[0]!.textContent).toContain('—');
    expect(rows[1]!.textContent).toContain('Partial');
    expect(rows[1]!.textContent).toContain('2 min 5 s');
    expect(rows[1]!.textContent).toContain('Users: 40');
    expect(rows[1]!.textContent).toContain('Authorization_RequestDenied');
    expect(rows[1]!.textContent).toContain('b1c2d3e4-0000-4000-8000-000000000001');
    expect(rows[1]!.querySelector('a')?.getAttribute('href')).toBe('/backups/old');
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
    expect(root().querySelector('tr[mat-row] a')?.getAttribute('href')).toBe('/backups/p2');

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
    expect(root().querySelector('table')).toBeNull();
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
