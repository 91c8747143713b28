import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { AsOfResponse } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { loadSession } from '../testing/session';
import { AsOfPage, fromLocalInput, toLocalInput } from './as-of-page';
import { objectUrl } from './history.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GROUP_ID = '00000000-0000-4000-8000-0000000000a1';
const KEY = { type: 'groups', collection: 'groups', objectId: GROUP_ID };
const DATE = '2026-11-01T08:30:00.000Z';

function member(id: string, displayName: string | null) {
  return { id, kind: 'user', type: 'users', collection: 'users', displayName, detail: null };
}

function buildAsOf(overrides: Partial<AsOfResponse> = {}): AsOfResponse {
  return {
    type: 'groups',
    collection: 'groups',
    objectId: GROUP_ID,
    displayName: 'Finance',
    requestedDate: DATE,
    snapshot: { id: 's1', seq: 1, takenAt: '2026-11-01T08:00:00.000Z' },
    existed: true,
    relations: [
      { relation: 'members', label: 'Members', items: [member('u-ann', 'Ann Lee')] },
      { relation: 'owners', label: 'Owners', items: [] },
    ],
    compareSnapshot: { id: 's3', seq: 3, takenAt: '2026-11-01T10:00:00.000Z' },
    compareExisted: true,
    changes: [
      { relation: 'members', action: 'added', item: member('u-bob', 'Bob Stone') },
      { relation: 'members', action: 'removed', item: member('u-ann', 'Ann Lee') },
    ],
    ...overrides,
  };
}

describe(AsOfPage.name, () => {
  let fixture: ComponentFixture<AsOfPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [AsOfPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(AsOfPage);
    fixture.componentRef.setInput('type', KEY.type);
    fixture.componentRef.setInput('collection', KEY.collection);
    fixture.componentRef.setInput('objectId', KEY.objectId);
  });

  afterEach(() => http.verify());

  const root = () => fixture.nativeElement as HTMLElement;
  /** The text of an element without icon ligatures (`person_add`), whitespace collapsed. */
  const text = (selector: string) => {
    const element = root().querySelector(selector)?.cloneNode(true) as HTMLElement | undefined;
    element?.querySelectorAll('mat-icon').forEach((icon) => icon.remove());
    return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  };

  it('asks for a date before loading anything', async () => {
    fixture.detectChanges();
    await fixture.whenStable();

    expect(text(':host > p.muted, p.muted')).toContain('Pick a date');
    http.expectNone(() => true);
  });

  it('shows the members and owners at the date and the changes until the newest snapshot, by name', async () => {
    fixture.componentRef.setInput('date', DATE);
    fixture.detectChanges();
    const request = http.expectOne((r) => r.url === `${objectUrl(TENANT_ID, KEY)}/as-of`);
    expect(request.request.params.get('date')).toBe(DATE);
    expect(request.request.params.has('until')).toBe(false);
    request.flush(buildAsOf());
    await fixture.whenStable();

    expect(text('.as-of-line')).toContain('snapshot #1');
    expect(text('[data-relation="members"]')).toContain('Members (1)');
    expect(text('[data-relation="members"]')).toContain('Ann Lee');
    expect(text('[data-relation="owners"]')).toContain('None');
    expect(text('.changes-title')).toContain('Changes until snapshot #3');
    expect(text('ul.changes li.added')).toContain('Added member: Bob Stone');
    expect(text('ul.changes li.removed')).toContain('Removed member: Ann Lee');
    expect(root().querySelector('ul.changes li.added a')?.getAttribute('href')).toBe(
      '/objects/users/users/u-bob',
    );
  });

  it('navigates with the chosen dates as query parameters', async () => {
    fixture.detectChanges();
    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const inputs = root().querySelectorAll<HTMLInputElement>('input[type="datetime-local"]');
    inputs[0]!.value = '2026-11-01T09:30';
    root()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));

    expect(navigate).toHaveBeenCalledWith([], {
      queryParams: { date: new Date('2026-11-01T09:30').toISOString(), until: null },
      queryParamsHandling: 'merge',
    });
  });

  it('says so when no backup was taken before the date', async () => {
    fixture.componentRef.setInput('date', DATE);
    fixture.detectChanges();
    http
      .expectOne((r) => r.url === `${objectUrl(TENANT_ID, KEY)}/as-of`)
      .flush(buildAsOf({ snapshot: null, existed: false, relations: [], changes: [] }));
    await fixture.whenStable();

    expect(text('.notice')).toContain('No backup was taken at or before');
  });

  it('converts between ISO instants and datetime-local values in the browser zone', () => {
    expect(fromLocalInput(toLocalInput('2026-11-01T09:30:00.000Z'))).toBe('2026-11-01T09:30:00.000Z');
    expect(fromLocalInput('')).toBeUndefined();
    expect(toLocalInput('not a date')).toBe('');
  });
});
