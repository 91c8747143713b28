import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS } from '../backups/backups.api';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody } from '../testing/builders';
import { loadSession } from '../testing/session';
import { restoreUrl } from './restore.api';
import { RestoreDetailPage } from './restore-detail-page';
import {
  NEW_USER_ID,
  RESTORE_ID,
  TENANT_ID,
  USER_ID,
  buildAction,
  buildCounts,
  buildRestoreRun,
  page,
} from './restore-testing';

describe(RestoreDetailPage.name, () => {
  let fixture: ComponentFixture<RestoreDetailPage>;
  let http: HttpTestingController;
  const url = restoreUrl(TENANT_ID, RESTORE_ID);

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RestoreDetailPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: EVENT_SOURCE_FACTORY, useValue: null },
        { provide: PROGRESS_POLL_INTERVAL_MS, useValue: 5 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(RestoreDetailPage);
    fixture.componentRef.setInput('restoreId', RESTORE_ID);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function text(selector: string): string {
    return (root().querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * Lets answered requests land and the page render. (Not whenStable: requests the page makes in
   * answer, still open, keep it unstable until the test answers them.)
   */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  }

  async function answer(run = buildRestoreRun()): Promise<void> {
    http.expectOne(url).flush(run);
    await settle();
  }

  it('shows the result and links "Undo restore" to the wizard with the pre-restore snapshot', async () => {
    await answer(
      buildRestoreRun({ counts: buildCounts({ recreated: 1 }), idMap: { [USER_ID]: NEW_USER_ID } }),
    );
    http
      .expectOne((r) => r.url === `${url}/actions`)
      .flush(
        page([
          buildAction({ action: 'recreate', state: 'done', newId: NEW_USER_ID, displayName: 'Gone Greta' }),
        ]),
      );
    http.expectOne(`${url}/undo`).flush({
      restoreId: RESTORE_ID,
      preRestoreSnapshotId: 'snap-14',
      request: {
        snapshotId: 'snap-14',
        types: ['users'],
        ids: [USER_ID, NEW_USER_ID],
        relationships: true,
        removeNew: true,
      },
    });
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text('.facts')).toContain('snap-12');
    expect(text('.facts')).toContain('snap-14');
    expect(text('eb-restore-result-view')).toContain(`${USER_ID} → ${NEW_USER_ID}`);
    const undo = Array.from(root().querySelectorAll('a')).find((a) =>
      a.textContent?.includes('Undo restore'),
    )!;
    const href = new URL(undo.getAttribute('href')!, 'http://portal');
    expect(href.pathname).toBe('/restore/new');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      snapshot: 'snap-14',
      types: 'users',
      ids: `${USER_ID},${NEW_USER_ID}`,
      removeNew: 'true',
    });
  });

  it('says why a restore cannot be undone', async () => {
    await answer(
      buildRestoreRun({ status: 'interrupted', preRestoreSnapshotId: null, counts: buildCounts() }),
    );
    http.expectOne((r) => r.url === `${url}/actions`).flush(page([]));
    http
      .expectOne(`${url}/undo`)
      .flush(
        buildErrorBody(409, 'RESTORE_UNDO_UNAVAILABLE', 'Restore x cannot be undone here: it wrote nothing'),
        {
          status: 409,
          statusText: 'Conflict',
        },
      );
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text('.undo')).toContain('it wrote nothing');
    expect(root().textContent).not.toContain('Undo restore…');
    expect(text('.facts')).toContain('None (nothing was written)');
  });

  it('follows a running restore and shows its result when it ends', async () => {
    await answer(buildRestoreRun({ status: 'running', finishedAt: null }));
    expect(text('eb-restore-progress')).toContain('Backing up the tenant');

    // Without server-sent events the progress polls the restore until it has ended.
    http.expectOne(url).flush(buildRestoreRun({ status: 'running', finishedAt: null }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    http.expectOne(url).flush(buildRestoreRun());
    await settle();
    // The page reloads the restore once the progress has ended.
    http.expectOne(url).flush(buildRestoreRun());
    await settle();
    http.expectOne((r) => r.url === `${url}/actions`).flush(page([]));
    http.expectOne(`${url}/undo`).flush(buildErrorBody(409, 'RESTORE_UNDO_UNAVAILABLE', 'no'), {
      status: 409,
      statusText: 'Conflict',
    });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root().querySelector('eb-restore-progress')).toBeNull();
    expect(text('eb-restore-result-view')).toContain('1 re-created · 1 updated');
  });
});
