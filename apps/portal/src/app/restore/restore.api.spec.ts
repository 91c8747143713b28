import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { RestoreProgressEvent } from '@entra-backup/common';
import { firstValueFrom, toArray } from 'rxjs';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS } from '../backups/backups.api';
import { RestoreApi, type RestoreProgressUpdate, restorePlansUrl, restoreUrl } from './restore.api';
import { RESTORE_ID, TENANT_ID, buildPlan, buildRestoreRun } from './restore-testing';

class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  emit(event: RestoreProgressEvent | string): void {
    this.onmessage?.(
      new MessageEvent('message', { data: typeof event === 'string' ? event : JSON.stringify(event) }),
    );
  }
  close(): void {
    this.closed = true;
  }
}

const AT = '2026-12-07T09:01:00.000Z';

describe(RestoreApi.name, () => {
  let http: HttpTestingController;

  function create(eventSource: boolean): RestoreApi {
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
    return TestBed.inject(RestoreApi);
  }

  afterEach(() => http.verify());

  it('posts the plan request and validates the plan it gets back', async () => {
    const sut = create(false);
    const planned = firstValueFrom(sut.createPlan(TENANT_ID, { snapshotId: 'latest', types: ['users'] }));
    const request = http.expectOne({ method: 'POST', url: restorePlansUrl(TENANT_ID) });
    expect(request.request.body).toEqual({ snapshotId: 'latest', types: ['users'] });
    request.flush({ ...buildPlan(), planned: 'three' });
    await expect(planned).rejects.toThrow();
  });

  it('follows the events until the restore ends, skipping what it cannot read', async () => {
    const sut = create(true);
    const updates = firstValueFrom(sut.progress(TENANT_ID, RESTORE_ID).pipe(toArray()));
    const source = FakeEventSource.opened[0]!;
    expect(source.url).toBe(`${restoreUrl(TENANT_ID, RESTORE_ID)}/events`);
    source.emit({ kind: 'restore-started', restoreId: RESTORE_ID, planned: 2, at: AT });
    source.emit('not json');
    source.emit({ kind: 'restore-finished', restoreId: RESTORE_ID, run: buildRestoreRun(), at: AT });

    expect((await updates).map((u) => (u.source === 'events' ? u.event.kind : 'poll'))).toEqual([
      'restore-started',
      'restore-finished',
    ]);
    expect(source.closed).toBe(true);
  });

  it('polls the restore when the event stream breaks, until it no longer runs', async () => {
    const sut = create(true);
    const seen: RestoreProgressUpdate[] = [];
    const done = new Promise<void>((resolve) =>
      sut.progress(TENANT_ID, RESTORE_ID).subscribe({ next: (u) => seen.push(u), complete: resolve }),
    );
    FakeEventSource.opened[0]!.onerror?.();

    http
      .expectOne(restoreUrl(TENANT_ID, RESTORE_ID))
      .flush(buildRestoreRun({ status: 'running', finishedAt: null }));
    await vi.waitFor(() => http.expectOne(restoreUrl(TENANT_ID, RESTORE_ID)).flush(buildRestoreRun()));
    await done;

    expect(seen.map((u) => (u.source === 'poll' ? u.run.status : 'event'))).toEqual(['running', 'completed']);
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
  });

  it('hands out the temporary passwords with a POST', async () => {
    const sut = create(false);
    const taken = firstValueFrom(sut.takeCredentials(TENANT_ID, RESTORE_ID));
    http.expectOne({ method: 'POST', url: `${restoreUrl(TENANT_ID, RESTORE_ID)}/credentials` }).flush({
      items: [{ id: 'a', newId: 'b', userPrincipalName: 'u@contoso.test', temporaryPassword: 'p' }],
    });
    await expect(taken).resolves.toEqual({
      items: [{ id: 'a', newId: 'b', userPrincipalName: 'u@contoso.test', temporaryPassword: 'p' }],
    });
  });
});
