import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { objectTypeLabel } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildRun, buildSummary, buildTypeResult } from '../testing/builders';
import { loadSession } from '../testing/session';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS, runUrl } from './backups.api';
import { RunDetailPage } from './run-detail-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe(RunDetailPage.name, () => {
  let fixture: ComponentFixture<RunDetailPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [RunDetailPage],
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
    fixture = TestBed.createComponent(RunDetailPage);
    fixture.componentRef.setInput('runId', 'run-1');
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function text(selector: string): string {
    return ((fixture.nativeElement as HTMLElement).querySelector(selector)?.textContent ?? '').replace(
      /\s+/g,
      ' ',
    );
  }

  /** The cells of a results row, without icon names. */
  function cells(type: string): string[] {
    const row = (fixture.nativeElement as HTMLElement).querySelector(`tr[data-type="${type}"]`);
    return Array.from(row?.querySelectorAll('th, td') ?? []).map((cell) =>
      (cell.textContent ?? '')
        .replace(/check_circle|error/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }

  it("shows a finished run's figures and per-type results with Graph request ids", async () => {
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        status: 'partial',
        actor: 'user:ada@contoso.test',
        types: ['users', 'auditLogs'],
        summary: buildSummary({
          status: 'partial',
          requests: 12,
          types: {
            users: buildTypeResult({ objects: 1234, added: 4, changed: 2, removed: 1 }),
            auditLogs: buildTypeResult({
              status: 'failed',
              objects: 0,
              reason: 'Forbidden',
              graphCode: 'Authorization_RequestDenied',
              requestId: 'aaaa-bbbb',
            }),
          },
        }),
      }),
    );
    await fixture.whenStable();

    expect(text('.page-header')).toContain('Partial');
    expect(text('.facts')).toContain('Manual · ada@contoso.test');
    expect(text('.facts')).toContain('3.5 s');
    expect(cells('users').slice(0, 7)).toEqual(['Users', 'Succeeded', '1,234', '4', '2', '1', '2']);
    expect(text('tr[data-type="auditLogs"]')).toContain('Failed');
    expect(text('tr[data-type="auditLogs"]')).toContain('The app lacks a permission this type needs.');
    expect(text('.failure')).toContain(`Failed: ${objectTypeLabel('auditLogs')}`);
    expect(text('.failure details')).toContain('Code Authorization_RequestDenied');
    expect(text('.failure details')).toContain('Request ID aaaa-bbbb');
  });

  it("shows a reconciliation's drift per type and each drifted object with the links that differed", async () => {
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        summary: buildSummary({
          drift: {
            objects: 1,
            links: 1,
            types: { groups: { objects: 1, links: 1 } },
            items: [
              {
                type: 'groups',
                collection: 'groups',
                objectId: 'g-1',
                name: 'Finance',
                kind: 'changed',
                links: [{ relation: 'owners', added: [], removed: ['u-9'] }],
              },
            ],
            truncated: false,
          },
        }),
      }),
    );
    await fixture.whenStable();

    expect(text('eb-run-drift')).toContain('Drift: 1 object and 1 link differed from the incremental state');
    const row = (fixture.nativeElement as HTMLElement).querySelectorAll('.drift-types tbody td');
    expect(Array.from(row).map((cell) => cell.textContent!.trim())).toEqual([
      objectTypeLabel('groups'),
      '1',
      '1',
    ]);
    expect(text('.drift-items')).toContain('Finance');
    expect(text('.drift-items')).toContain('owners: dropped u-9');
  });

  it('says a reconciliation found no drift', async () => {
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        summary: buildSummary({ drift: { objects: 0, links: 0, types: {}, items: [], truncated: false } }),
      }),
    );
    await fixture.whenStable();
    expect(text('eb-run-drift')).toContain('Drift 0');
  });

  it('shows what a run added to the log types as new entries, with no changed or removed figures', async () => {
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        types: ['users', 'signInLogs', 'auditLogs'],
        summary: buildSummary({
          types: {
            users: buildTypeResult({ objects: 40, added: 0, changed: 0, removed: 0 }),
            signInLogs: buildTypeResult({ objects: 5230, added: 1200, changed: 0, removed: 0, requests: 13 }),
            auditLogs: buildTypeResult({ objects: 81, added: 1, changed: 0, removed: 0, requests: 1 }),
          },
        }),
      }),
    );
    await fixture.whenStable();

    expect(cells('signInLogs').slice(0, 7)).toEqual([
      'Sign-in logs',
      'Succeeded',
      '5,230',
      '1,200 new entries',
      '—',
      '—',
      '13',
    ]);
    expect(cells('auditLogs').slice(0, 7)).toEqual([
      'Audit logs',
      'Succeeded',
      '81',
      '1 new entry',
      '—',
      '—',
      '1',
    ]);
    expect(cells('users').slice(0, 7)).toEqual(['Users', 'Succeeded', '40', '0', '0', '0', '2']);
  });

  it("shows a type's primary objects and its other collections apart, so added never exceeds objects", async () => {
    // Issue #10: built-in roles read "Objects 36, Added 56": the 20 role assignments were added in.
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        types: ['builtInRoles'],
        summary: buildSummary({
          bytesStored: 2_712_345,
          types: {
            builtInRoles: buildTypeResult({
              objects: 36,
              added: 36,
              requests: 3,
              related: [{ collection: 'roleAssignments', objects: 20, added: 20, changed: 1, removed: 0 }],
            }),
          },
        }),
      }),
    );
    await fixture.whenStable();

    expect(cells('builtInRoles').slice(0, 7)).toEqual([
      objectTypeLabel('builtInRoles'),
      'Succeeded',
      '36',
      '36',
      '0',
      '0',
      '3',
    ]);
    expect(cells('builtInRoles/roleAssignments').slice(0, 6)).toEqual([
      'Role assignments',
      '',
      '20',
      '20',
      '1',
      '0',
    ]);
    // Storage in human units, not bytes.
    expect(text('.facts')).toContain('2.7 MB');
    expect(text('.facts')).not.toContain('bytes');
  });

  it('shows a collection the run did not read for lack of consent under its type, with the reason', async () => {
    const reason =
      "Not backed up: the tenant's consent lacks UserAuthenticationMethod.Read.All; grant admin consent again in Settings";
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        types: ['users'],
        summary: buildSummary({
          types: {
            users: buildTypeResult({
              objects: 40,
              skippedCollections: [
                {
                  collection: 'authenticationMethods',
                  reason,
                  missingPermissions: ['UserAuthenticationMethod.Read.All'],
                },
              ],
            }),
          },
        }),
      }),
    );
    await fixture.whenStable();

    expect(cells('users').slice(0, 3)).toEqual(['Users', 'Succeeded', '40']);
    const row = cells('users/authenticationMethods');
    expect(row[0]).toBe('Authentication methods');
    expect(row[1]).toContain('Skipped');
    expect(row[2]).toBe('Not captured in this snapshot: its previous state is kept');
    expect(row[3]).toBe(reason);
  });

  it('shows identical failures once with a short cause, the action to take and the details on demand', async () => {
    const aadsts =
      "AADSTS700016: Application with identifier 'c0ffee00-0000-4000-8000-000000000001' was not found in " +
      "the directory 'Contoso'. This can happen if the application has not been installed by the " +
      'administrator of the tenant or consented to by any user in the tenant.\r\nTrace ID: 1\r\nCorrelation ID: 2';
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(
      buildRun({
        status: 'failed',
        types: ['users', 'groups', 'devices'],
        summary: buildSummary({
          status: 'failed',
          snapshotId: null,
          types: {
            users: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: aadsts }),
            groups: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: aadsts }),
            devices: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: aadsts }),
          },
        }),
      }),
    );
    await fixture.whenStable();

    const page = fixture.nativeElement as HTMLElement;
    const problems = page.querySelectorAll('.failure');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.textContent).toContain('The app is not consented to in this tenant.');
    expect(problems[0]!.textContent).toContain('Users, Groups, Devices');
    expect(problems[0]!.querySelector('a[href="/settings"]')?.textContent).toContain('Grant admin consent');
    // The raw message once, behind a disclosure; not repeated per type in the results.
    const details = problems[0]!.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.textContent).toContain('AADSTS700016');
    expect(page.textContent!.split('was not found in the directory').length - 1).toBe(1);
  });

  it('follows a running run and shows its results once it has ended', async () => {
    const running = buildRun({ status: 'running', finishedAt: null, summary: null, types: ['users'] });
    http.expectOne(runUrl(TENANT_ID, 'run-1')).flush(running);
    await fixture.whenStable();
    expect(text('.facts')).toContain('Still running');

    // The progress component polls (no EventSource here) until the run has ended...
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(running);
    await fixture.whenStable();
    expect(text('eb-run-progress')).toContain('Waiting');
    const done = buildRun({ summary: buildSummary({ types: { users: buildTypeResult({ objects: 9 }) } }) });
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(done);
    // ... then the page reads the run again for its results.
    (await vi.waitFor(() => http.expectOne(runUrl(TENANT_ID, 'run-1')))).flush(done);
    await fixture.whenStable();

    expect(cells('users').slice(0, 3)).toEqual(['Users', 'Succeeded', '9']);
    expect(text('.facts')).not.toContain('Still running');
  });

  it("shows the server's message for an unknown run", async () => {
    http
      .expectOne(runUrl(TENANT_ID, 'run-1'))
      .flush(buildErrorBody(404, 'BACKUP_RUN_NOT_FOUND', 'This tenant has no backup run run-1'), {
        status: 404,
        statusText: 'Not Found',
      });
    await fixture.whenStable();

    expect(text('[role="alert"]')).toContain('This tenant has no backup run run-1');
  });
});
