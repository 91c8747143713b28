import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { MASKED_VALUE, type ObjectDetail } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { loadSession } from '../testing/session';
import { objectUrl } from './explore.api';
import { ObjectPage, propertyGroups } from './object-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function groupDetail(): ObjectDetail {
  return {
    snapshot: {
      id: 'snap-7',
      seq: 7,
      mode: 'full',
      status: 'complete',
      createdAt: '2026-12-01T10:00:00.000Z',
      completedAt: null,
    },
    type: 'groups',
    collection: 'groups',
    id: 'g1',
    name: 'Sales',
    object: {
      id: 'g1',
      displayName: 'Sales',
      mailEnabled: false,
      createdDateTime: '2026-01-02T03:04:05Z',
      groupTypes: ['Unified'],
      members: [{ '@odata.type': '#microsoft.graph.user', id: 'u1' }, { id: 'gone' }],
      onPremisesProvisioningErrors: [],
      secretNote: MASKED_VALUE,
    },
    maskedFields: ['secretNote'],
    relations: [
      {
        key: 'members',
        label: 'Members',
        direction: 'outgoing',
        items: [
          { id: 'u1', name: 'Ada Lovelace', type: 'users', collection: 'users', found: true },
          { id: 'gone', name: null, type: null, collection: null, found: false },
        ],
      },
      { key: 'groups.groups.members', label: 'Member of', direction: 'incoming', items: [] },
    ],
    columns: [
      { key: 'displayName', label: 'Name', kind: 'text' },
      { key: 'memberCount', label: 'Members', kind: 'number' },
    ],
    values: { displayName: 'Sales', memberCount: 2 },
  };
}

describe(ObjectPage.name, () => {
  let fixture: ComponentFixture<ObjectPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ObjectPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(ObjectPage);
    fixture.componentRef.setInput('type', 'groups');
    fixture.componentRef.setInput('collection', 'groups');
    fixture.componentRef.setInput('objectId', 'g1');
    fixture.componentRef.setInput('snapshot', 'snap-7');
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  const root = () => fixture.nativeElement as HTMLElement;
  const links = () => Array.from(root().querySelectorAll<HTMLAnchorElement>('a'));

  async function flush(detail: ObjectDetail = groupDetail()): Promise<void> {
    http.expectOne(objectUrl(TENANT_ID, 'snap-7', 'groups', 'groups', 'g1')).flush(detail);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('shows relationships by name with links, and the objects the snapshot lacks by id', async () => {
    await flush();
    expect(root().querySelector('h1')?.textContent).toContain('Sales');
    const members = root().querySelector('section[aria-label="Members"]')!;
    const ada = members.querySelector('a')!;
    expect(ada.textContent).toContain('Ada Lovelace');
    expect(ada.getAttribute('href')).toBe('/objects/users/users/u1?snapshot=snap-7');
    expect(members.textContent).toContain('gone');
    expect(members.textContent).toContain('not in this snapshot');
    // Incoming relations without items are left out.
    expect(root().querySelector('section[aria-label="Member of"]')).toBeNull();
  });

  it('offers restoring the object and single properties, and links its history', async () => {
    await flush();
    const hrefs = links().map((a) => decodeURIComponent(a.getAttribute('href') ?? ''));
    expect(hrefs).toContain('/restore/new?snapshot=snap-7&types=groups&ids=g1');
    expect(hrefs).toContain('/restore/new?snapshot=snap-7&types=groups&ids=g1&properties=displayName');
    expect(hrefs).toContain('/objects/groups/groups/g1/history');
    expect(hrefs).toContain('/objects/groups/groups/g1/as-of');
    // A masked secret is neither shown nor offered for restore on its own.
    expect(hrefs).not.toContain('/restore/new?snapshot=snap-7&types=groups&ids=g1&properties=secretNote');
    expect(root().textContent).toContain('Hidden');
  });

  it('says why an object cannot be shown', async () => {
    http.expectOne(objectUrl(TENANT_ID, 'snap-7', 'groups', 'groups', 'g1')).flush(
      {
        statusCode: 404,
        code: 'BROWSE_OBJECT_NOT_FOUND',
        message: 'Snapshot #7 holds no groups groups object g1',
        correlationId: 'c',
      },
      { status: 404, statusText: 'Not Found' },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root().querySelector('[role="alert"]')?.textContent).toContain('Snapshot #7 holds no groups');
  });
});

describe(propertyGroups.name, () => {
  it('groups scalars, dates and nested values readably, leaving relationship lists to their section', () => {
    const groups = propertyGroups(groupDetail());
    expect(groups.map((g) => g.title)).toEqual(['Properties', 'Dates']);
    const general = groups[0]!.rows.map((r) => [r.label, r.text]);
    expect(general).toContainEqual(['Mail enabled', 'No']);
    expect(general).toContainEqual(['Group types', 'Unified']);
    expect(general).toContainEqual(['On premises provisioning errors', 'None']);
    expect(groups[1]!.rows[0]).toMatchObject({ label: 'Created date time' });
    expect(groups[1]!.rows[0]!.text).toMatch(/2026/);
  });
});
