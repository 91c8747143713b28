import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { type BackupHistoryPoint, objectTypeLabel } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody } from '../testing/builders';
import { loadSession } from '../testing/session';
import { BackupHistory } from './backup-history';
import { historyUrl } from './backups.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function point(seq: number, overrides: Partial<BackupHistoryPoint> = {}): BackupHistoryPoint {
  return {
    snapshotId: `snap-${seq}`,
    seq,
    runId: `run-${seq}`,
    at: `2026-12-0${seq}T10:00:00.000Z`,
    startedAt: `2026-12-0${seq}T09:59:55.000Z`,
    status: 'completed',
    mode: 'full',
    trigger: 'schedule',
    counts: { users: 250, builtInRoles: 36 },
    durationMs: 5_000,
    requests: 40,
    bytesStored: 1_200_000,
    totalBytesStored: 1_200_000,
    ...overrides,
  };
}

describe(BackupHistory.name, () => {
  let fixture: ComponentFixture<BackupHistory>;
  let http: HttpTestingController;

  beforeEach(async () => {
    // jsdom has no canvas: Chart.js draws nothing here (the browser suite sees the drawing); what
    // is tested is what every reader gets, the captions, accessible names and data tables.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    TestBed.configureTestingModule({
      imports: [BackupHistory],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(BackupHistory);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function expectHistory(days: number) {
    return http.expectOne((r) => r.url === historyUrl(TENANT_ID) && r.params.get('days') === String(days));
  }

  function text(element: Element | null | undefined): string {
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  it('draws objects per type, run duration and requests, and storage, each with words and a data table', async () => {
    expectHistory(30).flush({
      days: 30,
      from: '2026-11-01T10:00:00.000Z',
      points: [
        point(1, { counts: { users: 249, builtInRoles: 36 }, durationMs: 64_000, requests: 310 }),
        point(2, {
          counts: { users: 250, builtInRoles: 36 },
          bytesStored: 1_500_000,
          totalBytesStored: 2_700_000,
        }),
      ],
    });
    await fixture.whenStable();

    const figures = root().querySelectorAll('figure');
    expect(Array.from(figures).map((f) => text(f.querySelector('h3')))).toEqual([
      'Objects per type',
      'Run duration and Graph requests',
      'Storage',
    ]);
    // Every chart has an accessible name that says what it shows ...
    const canvases = root().querySelectorAll('canvas');
    expect(canvases).toHaveLength(3);
    for (const canvas of Array.from(canvases)) expect(canvas.getAttribute('role')).toBe('img');
    expect(canvases[0]!.getAttribute('aria-label')).toContain(
      `Users 249 → 250, ${objectTypeLabel('builtInRoles')} 36`,
    );
    expect(text(figures[1]!.querySelector('figcaption'))).toContain(
      'Runs took 5.0 s to 1 min 4 s (last 5.0 s); Graph requests per run 40 to 310 (last 40).',
    );
    expect(text(figures[2]!.querySelector('figcaption'))).toContain(
      '1.2 MB at the first snapshot, 2.7 MB at the last',
    );
    // ... and its figures as a table.
    const storage = figures[2]!.querySelector('table')!;
    expect(Array.from(storage.querySelectorAll('thead th')).map(text)).toEqual([
      'Snapshot',
      'Stored by the run',
      'Stored in all',
    ]);
    expect(Array.from(storage.querySelectorAll('tbody tr')[1]!.children).map(text)).toEqual([
      expect.stringMatching(/^#2 · Dec 2, \d\d:00$/),
      '1.5 MB',
      '2.7 MB',
    ]);
    const objects = figures[0]!.querySelector('table')!;
    expect(Array.from(objects.querySelectorAll('thead th')).map(text)).toEqual([
      'Snapshot',
      'Users',
      objectTypeLabel('builtInRoles'),
    ]);
  });

  it('reads the period picked', async () => {
    expectHistory(30).flush({ days: 30, from: '2026-11-01T10:00:00.000Z', points: [point(1)] });
    await fixture.whenStable();

    const week = Array.from(root().querySelectorAll<HTMLButtonElement>('mat-button-toggle button')).find(
      (b) => text(b) === '7 days',
    )!;
    week.click();
    (await vi.waitFor(() => expectHistory(7))).flush({
      days: 7,
      from: '2026-11-24T10:00:00.000Z',
      points: [],
    });
    await fixture.whenStable();

    expect(text(root())).toContain('No snapshots in the last 7 days.');
    expect(root().querySelector('canvas')).toBeNull();
  });

  it("shows the server's message when the history cannot be loaded", async () => {
    expectHistory(30).flush(buildErrorBody(500, 'INTERNAL_ERROR', 'Something failed on our side'), {
      status: 500,
      statusText: 'Internal Server Error',
    });
    await fixture.whenStable();

    expect(text(root().querySelector('[role="alert"]'))).toContain('Something failed on our side');
  });
});
