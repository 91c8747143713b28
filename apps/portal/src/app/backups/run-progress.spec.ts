import type { BackupProgressEvent } from '@entra-backup/common';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { buildSummary, buildTypeResult } from '../testing/builders';
import { BackupsApi, type ProgressUpdate } from './backups.api';
import { RunProgress } from './run-progress';

const AT = '2026-11-20T10:00:00.000Z';

describe(RunProgress.name, () => {
  let fixture: ComponentFixture<RunProgress>;
  let updates: Subject<ProgressUpdate>;

  beforeEach(() => {
    updates = new Subject<ProgressUpdate>();
    TestBed.configureTestingModule({
      imports: [RunProgress],
      providers: [
        provideRouter([]),
        { provide: BackupsApi, useValue: { progress: () => updates.asObservable() } },
      ],
    });
    fixture = TestBed.createComponent(RunProgress);
    fixture.componentRef.setInput('tenantId', 't');
    fixture.componentRef.setInput('runId', 'run-1');
    fixture.detectChanges();
  });

  function row(type: string): string {
    const element = (fixture.nativeElement as HTMLElement).querySelector(`li[data-type="${type}"]`);
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  async function send(update: BackupProgressEvent): Promise<void> {
    updates.next({ source: 'events', event: update });
    await fixture.whenStable();
  }

  it('labels live figures as read so far, and shows the snapshot objects once the run has ended', async () => {
    // Issue #10: "56 objects" live for built-in roles, 36 at the end (role assignments were read too).
    await send({
      kind: 'run-started',
      runId: 'run-1',
      tenantId: 't',
      mode: 'full',
      types: ['builtInRoles'],
      at: AT,
    });
    await send({
      kind: 'type-progress',
      runId: 'run-1',
      type: 'builtInRoles',
      collection: 'roleAssignments',
      pages: 2,
      read: 56,
      at: AT,
    });
    expect(row('builtInRoles')).toContain('56 read so far');
    expect(row('builtInRoles')).toContain('reading role assignments');
    expect(row('builtInRoles')).not.toMatch(/56 objects?/);

    await send({
      kind: 'type-finished',
      runId: 'run-1',
      type: 'builtInRoles',
      status: 'succeeded',
      read: 56,
      at: AT,
    });
    expect(row('builtInRoles')).toContain('56 read');
    expect(row('builtInRoles')).not.toMatch(/56 objects?/);

    await send({
      kind: 'run-finished',
      runId: 'run-1',
      at: AT,
      summary: buildSummary({
        types: {
          builtInRoles: buildTypeResult({
            objects: 36,
            added: 36,
            related: [{ collection: 'roleAssignments', objects: 20, added: 20, changed: 0, removed: 0 }],
          }),
        },
      }),
    });
    expect(row('builtInRoles')).toContain('36 objects');
    expect(row('builtInRoles')).toContain('20 role assignments');
    expect(row('builtInRoles')).not.toContain('read');
  });

  it('shows a failure shared by every type once, with its short cause, when the run ends', async () => {
    // Issue #10: the raw AADSTS message, ~600 characters, was repeated once per type.
    const aadsts =
      "AADSTS700016: Application with identifier 'c0ffee00' was not found in the directory 'Contoso'. " +
      'This can happen if the application has not been installed by the administrator of the tenant.';
    await send({
      kind: 'run-finished',
      runId: 'run-1',
      at: AT,
      summary: buildSummary({
        status: 'failed',
        snapshotId: null,
        types: {
          users: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: aadsts }),
          groups: buildTypeResult({ status: 'failed', objects: 0, added: 0, reason: aadsts }),
        },
      }),
    });

    expect(row('users')).toContain('The app is not consented to in this tenant.');
    expect(row('users')).not.toContain('AADSTS700016');
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelectorAll('.failure')).toHaveLength(1);
    expect(page.textContent!.split('was not found in the directory').length - 1).toBe(1);
  });
});
