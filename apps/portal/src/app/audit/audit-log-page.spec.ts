import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { AuditEvent, AuditPage } from '@entra-backup/common';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildSession } from '../testing/builders';
import { loadSession } from '../testing/session';
import { AuditLogPage } from './audit-log-page';
import { auditUrl } from './audit.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function buildEvent(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `event-${n}`,
    occurredAt: `2026-12-07T10:0${n}:00.000Z`,
    action: 'backup.started',
    actor: 'user:ada@contoso.test',
    principalKind: 'person',
    tenantId: TENANT_ID,
    partnerId: null,
    address: '203.0.113.7',
    outcome: 'success',
    details: { trigger: 'manual' },
    ...overrides,
  };
}

describe(AuditLogPage.name, () => {
  let fixture: ComponentFixture<AuditLogPage>;
  let http: HttpTestingController;

  async function create(session = buildSession()): Promise<void> {
    TestBed.configureTestingModule({
      imports: [AuditLogPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
    fixture = TestBed.createComponent(AuditLogPage);
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  /** Each row's cells, their texts joined by ` | ` (a cell's parts by a space). */
  function rows(): string[] {
    return [...root().querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')]
        .map((cell) =>
          [...cell.childNodes]
            .map((node) => (node.textContent ?? '').trim())
            .filter((part) => part !== '')
            .join(' '),
        )
        .join(' | '),
    );
  }

  function pageRequest(cursor?: string) {
    return http.expectOne(
      (r) => r.url === auditUrl(TENANT_ID) && (r.params.get('cursor') ?? undefined) === cursor,
    );
  }

  async function answer(page: AuditPage, cursor?: string): Promise<void> {
    pageRequest(cursor).flush(page);
    await fixture.whenStable();
  }

  function button(label: string): HTMLButtonElement {
    const found = [...root().querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => b.textContent?.trim() === label,
    );
    if (found === undefined) throw new Error(`no button "${label}"`);
    return found;
  }

  it("shows the signed-in tenant's events with who, from where and the outcome", async () => {
    await create();
    await answer({
      items: [
        buildEvent(2, {
          action: 'access.refused',
          actor: 'user:eve@fabrikam.test',
          outcome: 'refused',
          details: { code: 'TENANT_FORBIDDEN' },
        }),
        buildEvent(1, { actor: 'schedule', principalKind: 'system', address: null }),
      ],
      nextCursor: null,
    });

    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toContain(
      'access.refused | refused | user:eve@fabrikam.test Person | 203.0.113.7 | code: TENANT_FORBIDDEN',
    );
    expect(rows()[1]).toContain('backup.started | success | schedule Service | — | trigger: manual');
    expect(root().textContent).not.toContain('Load more');
  });

  it('loads older events with the cursor and appends them', async () => {
    await create();
    await answer({ items: [buildEvent(3), buildEvent(2)], nextCursor: 'cursor-1' });

    button('Load more').click();
    await answer({ items: [buildEvent(1)], nextCursor: null }, 'cursor-1');
    fixture.detectChanges();

    expect(rows()).toHaveLength(3);
    expect(root().textContent).not.toContain('Load more');
  });

  it('applies the filters as the API expects them and starts again from the first page', async () => {
    await create();
    await answer({ items: [buildEvent(3)], nextCursor: 'cursor-1' });
    const component = fixture.componentInstance as unknown as {
      updateDraft(key: string, value: string): void;
    };

    component.updateDraft('category', 'auth');
    component.updateDraft('outcome', 'refused');
    component.updateDraft('actor', ' eve ');
    button('Apply').click();
    fixture.detectChanges();

    const request = pageRequest();
    expect(request.request.params.get('action')).toBe('auth.*');
    expect(request.request.params.get('outcome')).toBe('refused');
    expect(request.request.params.get('actor')).toBe('eve');
    request.flush({ items: [], nextCursor: null });
    await fixture.whenStable();
    expect(root().textContent).toContain('No events.');
  });

  it('offers CSV and JSON downloads of the filtered log', async () => {
    await create();
    await answer({ items: [buildEvent(1)], nextCursor: null });

    const links = [...root().querySelectorAll<HTMLAnchorElement>('a[download]')].map((a) =>
      a.getAttribute('href'),
    );
    expect(links).toEqual([`${auditUrl(TENANT_ID)}.csv`, `${auditUrl(TENANT_ID)}.json`]);
  });

  it('offers no downloads under emergency access', async () => {
    const session = buildSession();
    await create({ ...session, user: { ...session.user!, kind: 'emergency', tenantAdmin: false } });
    await answer({ items: [buildEvent(1)], nextCursor: null });

    expect(root().querySelectorAll('a[download]')).toHaveLength(0);
  });

  it("shows the API's reason when the log cannot be loaded", async () => {
    await create();
    pageRequest().flush(buildErrorBody(403, 'TENANT_FORBIDDEN', 'You have no access to tenant x'), {
      status: 403,
      statusText: 'Forbidden',
    });
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain('You have no access to tenant x');
  });
});
