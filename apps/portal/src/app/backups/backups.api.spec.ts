import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { BackupProgressEvent } from '@entra-backup/common';
import { firstValueFrom, toArray } from 'rxjs';
import { buildErrorBody, buildRun, buildSummary } from '../testing/builders';
import {
  BackupsApi,
  EVENT_SOURCE_FACTORY,
  PROGRESS_POLL_INTERVAL_MS,
  type ProgressUpdate,
  backupsUrl,
  runUrl,
} from './backups.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Stands in for the browser's EventSource: the test pushes messages and errors. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  emit(event: BackupProgressEvent | string): void {
    this.onmessage?.(
      new MessageEvent('message', { data: typeof event === 'string' ? event : JSON.stringify(event) }),
    );
  }
  fail(): void {
    this.onerror?.();
  }
  close(): void {
    this.closed = true;
  }
}

describe(BackupsApi.name, () => {
  let http: HttpTestingController;

  function create(eventSource: boolean): BackupsApi {
    FakeEventSource.opened = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: eventSource ? (url: string) => new FakeEventSource(url) as unknown as EventSource : null,
        },
        { provide: PROGRESS_POLL_INTERVAL_MS, useValue: 5 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(BackupsApi);
  }

  afterEach(() => http.verify());

  it('starts a backup and returns the run id', async () => {
    const sut = create(false);
    const started = firstValueFrom(sut.startBackup(TENANT_ID));
    const request = http.expectOne({ method: 'POST', url: backupsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({});
    request.flush({ runId: 'run-1' }, { status: 202, statusText: 'Accepted' });
    await expect(started).resolves.toEqual({ runId: 'run-1' });
  });

  it('passes the 409 of a backup already running on', async () => {
    const sut = create(false);
    const started = firstValueFrom(sut.startBackup(TENANT_ID));
    http
      .expectOne({ method: 'POST', url: backupsUrl(TENANT_ID) })
      .flush(buildErrorBody(409, 'BACKUP_ALREADY_RUNNING', 'A backup is already running for this tenant'), {
        status: 409,
        statusText: 'Conflict',
      });
    await expect(started).rejects.toMatchObject({ status: 409 });
  });

  it('follows server-sent events until the run ends, then closes the stream', async () => {
    const sut = create(true);
    const updates = firstValueFrom(sut.progress(TENANT_ID, 'run-1').pipe(toArray()));
    const source = FakeEventSource.opened[0]!;
    expect(source.url).toBe(`${runUrl(TENANT_ID, 'run-1')}/events`);

    source.emit({ kind: 'type-started', runId: 'run-1', type: 'users', at: 'x' });
    source.emit('not json');
    source.emit({ kind: 'run-finished', runId: 'run-1', summary: buildSummary(), at: 'y' });

    const received = await updates;
    expect(received.map((u) => (u.source === 'events' ? u.event.kind : u.source))).toEqual([
      'type-started',
      'run-finished',
    ]);
    expect(source.closed).toBe(true);
  });

  it('falls back to polling the run when the event stream breaks', async () => {
    const sut = create(true);
    const received: ProgressUpdate[] = [];
    let completed = false;
    sut
      .progress(TENANT_ID, 'run-1')
      .subscribe({ next: (u) => received.push(u), complete: () => (completed = true) });
    const source = FakeEventSource.opened[0]!;
    source.emit({ kind: 'type-started', runId: 'run-1', type: 'users', at: 'x' });
    source.fail();
    expect(source.closed).toBe(true);

    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(
      buildRun({ status: 'running', summary: null, finishedAt: null }),
    );
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(buildRun());
    await vi.waitFor(() => expect(completed).toBe(true));

    expect(received.map((u) => u.source)).toEqual(['events', 'poll', 'poll']);
    expect(FakeEventSource.opened).toHaveLength(1);
  });

  it('polls where EventSource is not available', async () => {
    const sut = create(false);
    const updates = firstValueFrom(sut.progress(TENANT_ID, 'run-1').pipe(toArray()));
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(
      buildRun({ status: 'failed', summary: null, reason: 'boom' }),
    );
    const received = await updates;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ source: 'poll', run: { status: 'failed', reason: 'boom' } });
  });
});
