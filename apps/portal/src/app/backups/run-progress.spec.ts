import type { BackupProgressEvent } from '@entra-backup/common';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
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
      providers: [{ provide: BackupsApi, useValue: { progress: () => updates.asObservable() } }],
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
});
