import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { HistoryEvent, ObjectHistory } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody } from '../testing/builders';
import { loadSession } from '../testing/session';
import { objectUrl } from './history.api';
import { HistoryPage } from './history-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER_ID = '00000000-0000-4000-8000-00000000000a';
const KEY = { type: 'users', collection: 'users', objectId: USER_ID };

function snapshot(seq: number) {
  return { id: `snap-${seq}`, seq, takenAt: `2026-11-0${seq}T08:00:00.000Z` };
}

function buildEvent(overrides: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    kind: 'changed',
    snapshot: snapshot(2),
    previousSnapshot: snapshot(1),
    restoreSnapshotSeq: 2,
    changes: [],
    relationships: [],
    audit: [],
    ...overrides,
  };
}

function buildHistory(overrides: Partial<ObjectHistory> = {}): ObjectHistory {
  return {
    type: 'users',
    collection: 'users',
    objectId: USER_ID,
    displayName: 'Ann Lee',
    auditLogsBackedUp: true,
    versions: 2,
    events: [
      buildEvent({
        changes: [
          { property: 'department', path: 'department', masked: false, before: 'Sales', after: 'Marketing' },
          { property: 'passwordProfile', path: 'passwordProfile.secret', masked: true },
        ],
        audit: [
          {
            id: 'Directory_1',
            activityDateTime: '2026-11-01T09:30:00Z',
            activity: 'Update user',
            category: 'UserManagement',
            result: 'success',
            initiatedBy: { kind: 'user', name: 'admin@contoso.com' },
            targets: [
              {
                id: USER_ID,
                type: 'User',
                displayName: 'ann@contoso.com',
                modifiedProperties: [
                  { name: 'Department', oldValue: '["Sales"]', newValue: '["Marketing"]' },
                ],
              },
            ],
          },
        ],
      }),
      buildEvent({ kind: 'created', snapshot: snapshot(1), previousSnapshot: null, restoreSnapshotSeq: 1 }),
    ],
    ...overrides,
  };
}

describe(HistoryPage.name, () => {
  let fixture: ComponentFixture<HistoryPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [HistoryPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(HistoryPage);
    fixture.componentRef.setInput('type', KEY.type);
    fixture.componentRef.setInput('collection', KEY.collection);
    fixture.componentRef.setInput('objectId', KEY.objectId);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  const root = () => fixture.nativeElement as HTMLElement;
  /** The text of an element without icon ligatures (`person_add`), whitespace collapsed. */
  const text = (selector: string) => {
    const element = root().querySelector(selector)?.cloneNode(true) as HTMLElement | undefined;
    element?.querySelectorAll('mat-icon').forEach((icon) => icon.remove());
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  };
  const links = (selector: string) =>
    Array.from(root().querySelectorAll<HTMLAnchorElement>(selector)).map((a) => a.getAttribute('href'));

  it('shows each change old → new with who changed it, and restore links per version and property', async () => {
    http.expectOne(`${objectUrl(TENANT_ID, KEY)}/history`).flush(buildHistory());
    await fixture.whenStable();

    expect(text('.page-header')).toContain('Ann Lee · 2 versions');
    expect(Array.from(root().querySelectorAll('.event')).map((e) => e.getAttribute('data-kind'))).toEqual([
      'changed',
      'created',
    ]);
    expect(text('tr[data-path="department"] .before')).toBe('Sales');
    expect(text('tr[data-path="department"] .after')).toBe('Marketing');
    expect(text('tr[data-path="passwordProfile.secret"]')).toContain('secret value hidden');
    expect(text('.event[data-kind="changed"] .audit')).toContain('Update user by admin@contoso.com');
    expect(text('.event[data-kind="changed"] .audit')).toContain('Department: Sales → Marketing');
    expect(links('.event[data-kind="changed"] .actions a')).toEqual([
      `/restore/new?snapshot=2&types=users&ids=${USER_ID}`,
      `/restore/new?snapshot=2&types=users&ids=${USER_ID}&properties=department`,
      `/restore/new?snapshot=2&types=users&ids=${USER_ID}&properties=passwordProfile`,
    ]);
    expect(links('.back')).toEqual([`/objects/users/users/${USER_ID}`]);
  });

  it('lists members added and removed by name, and offers the version before a deletion', async () => {
    http.expectOne(`${objectUrl(TENANT_ID, KEY)}/history`).flush(
      buildHistory({
        auditLogsBackedUp: false,
        events: [
          buildEvent({
            kind: 'deleted',
            snapshot: snapshot(3),
            previousSnapshot: snapshot(2),
            restoreSnapshotSeq: 2,
          }),
          buildEvent({
            relationships: [
              {
                relation: 'members',
                action: 'added',
                id: 'u-bob',
                kind: 'user',
                displayName: 'Bob Stone',
                type: 'users',
                collection: 'users',
              },
              {
                relation: 'members',
                action: 'removed',
                id: 'u-gone',
                kind: 'user',
                displayName: null,
                type: null,
                collection: null,
              },
            ],
          }),
        ],
      }),
    );
    await fixture.whenStable();

    expect(text('.relationships')).toContain('Member added: Bob Stone');
    expect(text('.relationships')).toContain('Member removed: u-gone');
    expect(links('.relationships a')).toEqual(['/objects/users/users/u-bob']);
    expect(text('.notice')).toContain('Audit logs are not part of the backup');
    expect(text('.event[data-kind="deleted"] .actions')).toContain('Restore the version before deletion');
    expect(links('.event[data-kind="deleted"] .actions a')[0]).toBe(
      `/restore/new?snapshot=2&types=users&ids=${USER_ID}`,
    );
  });

  it('says why when the object was never backed up', async () => {
    http
      .expectOne(`${objectUrl(TENANT_ID, KEY)}/history`)
      .flush(buildErrorBody(404, 'HISTORY_OBJECT_NOT_FOUND', 'No backup holds it'), {
        status: 404,
        statusText: 'Not Found',
      });
    await fixture.whenStable();

    expect(text('[role="alert"]')).toContain('No backup holds it');
  });
});
