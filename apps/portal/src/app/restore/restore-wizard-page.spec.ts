import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { RestoreProgressEvent } from '@entra-backup/common';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS } from '../backups/backups.api';
import { SessionStore } from '../core/session/session-store';
import { buildErrorBody, buildTenant } from '../testing/builders';
import { loadSession } from '../testing/session';
import { TENANTS_URL } from '../tenants/tenants.api';
import { restorePlansUrl, restoreUrl, restoresUrl } from './restore.api';
import {
  NEW_USER_ID,
  PLAN_ID,
  RESTORE_ID,
  TENANT_ID,
  USER_ID,
  buildAction,
  buildCounts,
  buildPlan,
  buildRestoreRun,
  page,
} from './restore-testing';
import { RestoreWizardPage } from './restore-wizard-page';

/** Stands in for the browser's EventSource: the test pushes events. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  emit(event: RestoreProgressEvent): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
  }
  close(): void {
    this.closed = true;
  }
}

const AT = '2026-12-07T09:01:00.000Z';

describe(RestoreWizardPage.name, () => {
  let fixture: ComponentFixture<RestoreWizardPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    FakeEventSource.opened = [];
    TestBed.configureTestingModule({
      imports: [RestoreWizardPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: (url: string) => new FakeEventSource(url) as unknown as EventSource,
        },
        { provide: PROGRESS_POLL_INTERVAL_MS, useValue: 5 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(RestoreWizardPage);
    fixture.componentRef.setInput('snapshot', '12');
    fixture.componentRef.setInput('types', 'users');
    fixture.componentRef.setInput('ids', USER_ID);
    fixture.detectChanges();
    http.expectOne(`${TENANTS_URL}/${TENANT_ID}`).flush(buildTenant({ displayName: 'Contoso' }));
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function text(selector = ':scope'): string {
    return (root().querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  function button(label: string): HTMLButtonElement {
    const found = Array.from(root().querySelectorAll<HTMLButtonElement>('button')).find((b) =>
      (b.textContent ?? '').includes(label),
    );
    if (found === undefined) throw new Error(`No button "${label}"`);
    return found;
  }

  async function click(label: string): Promise<void> {
    button(label).click();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  async function type(value: string): Promise<void> {
    const input = root().querySelector<HTMLInputElement>('input[matinput]')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    await fixture.whenStable();
  }

  /** Steps 1 → 2: computes the plan, answers it and its actions. */
  async function reachPlan(plan = buildPlan(), actions = [buildAction()]): Promise<void> {
    button('Compute the plan').click();
    fixture.detectChanges();
    http.expectOne({ method: 'POST', url: restorePlansUrl(TENANT_ID) }).flush(plan);
    await fixture.whenStable();
    fixture.detectChanges();
    http
      .expectOne(
        (r) => r.url === `${restorePlansUrl(TENANT_ID)}/${PLAN_ID}/actions` && r.params.get('page') === '1',
      )
      .flush(page(actions, plan.planned));
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('shows the selection from the link and computes the plan with the chosen options, showing progress', async () => {
    expect(text('.selection')).toContain('12');
    expect(text('.selection')).toContain('Users');
    expect(text('.selection')).toContain(USER_ID);
    expect(root().querySelector('[aria-current="step"]')?.textContent).toContain('Selection');

    // Turn "restore relationships" off.
    root().querySelector<HTMLInputElement>('mat-checkbox input')!.click();
    fixture.detectChanges();
    button('Compute the plan').click();
    fixture.detectChanges();

    const request = http.expectOne({ method: 'POST', url: restorePlansUrl(TENANT_ID) });
    expect(request.request.body).toEqual({
      snapshotId: '12',
      types: ['users'],
      ids: [USER_ID],
      relationships: false,
      removeNew: false,
    });
    expect(text('.planning')).toContain('Reading the live tenant');
    expect(root().querySelector('[aria-current="step"]')?.textContent).toContain('Plan');
    request.flush(buildPlan());
    await fixture.whenStable();
    fixture.detectChanges();
    http.expectOne((r) => r.url.endsWith('/actions')).flush(page([buildAction()], 3));
    await fixture.whenStable();
    expect(root().querySelector('.planning')).toBeNull();
  });

  it('shows the plan grouped by action with counts, what cannot be restored, and no policy warning', async () => {
    const plan = buildPlan({
      planned: 6,
      byAction: { restoreDeleted: 1, recreate: 1, update: 2, addLink: 1, skip: 1 },
      unrecoverable: [
        { type: 'users', id: 'u9', displayName: 'Synced Sam', reason: 'Synchronised from on-premises' },
      ],
    });
    await reachPlan(plan, [
      buildAction({ seq: 0, action: 'restoreDeleted', displayName: 'Binned Bob' }),
      buildAction({ seq: 1, action: 'recreate', displayName: 'Gone Greta' }),
      buildAction({
        seq: 2,
        action: 'update',
        displayName: 'Adele Vance',
        properties: ['department', 'jobTitle'],
        changes: [
          { property: 'department', from: 'Changed', to: 'Sales' },
          { property: 'jobTitle', from: null, to: 'Engineer' },
        ],
      }),
      buildAction({ seq: 3, action: 'update', displayName: 'Alex Wilber' }),
      buildAction({
        seq: 4,
        action: 'addLink',
        type: 'groups',
        displayName: 'Sales',
        link: { relation: 'members', targetId: USER_ID, targetType: 'user' },
      }),
      buildAction({
        seq: 5,
        action: 'skip',
        displayName: 'Synced Sam',
        reason: 'Synchronised from on-premises',
      }),
    ]);

    const groups = Array.from(root().querySelectorAll('details.group')).map((g) => [
      g.getAttribute('data-kind'),
      (g.querySelector('.badge')?.textContent ?? '').trim(),
    ]);
    expect(groups).toEqual([
      ['restoreDeleted', '1'],
      ['recreate', '1'],
      ['update', '2'],
      ['addLink', '1'],
      ['skip', '1'],
    ]);
    expect(text('.summary')).toContain('6 actions planned');
    const changes = Array.from(root().querySelectorAll('details[data-kind="update"] .changes > div')).map(
      (row) => ['dt', '.from', '.to'].map((part) => row.querySelector(part)?.textContent?.trim()),
    );
    expect(changes).toEqual([
      ['department', 'Changed', 'Sales'],
      ['jobTitle', '(empty)', 'Engineer'],
    ]);
    // Without values from the API, the property names.
    expect(text('details[data-kind="update"]')).toContain('Properties: department');
    expect(text('details[data-kind="addLink"]')).toContain(`Sales → members: ${USER_ID}`);
    expect(text('.unrecoverable')).toContain('Synced Sam');
    expect(text('.unrecoverable')).toContain('Synchronised from on-premises');
    // The name, its type and the reason read as words, not run together.
    expect(text('.unrecoverable li')).toBe('Synced Sam (Users): Synchronised from on-premises');
    expect(root().querySelector('.ca-warning')).toBeNull();
    expect(button('Continue').disabled).toBe(false);
  });

  it('warns prominently when the plan writes Conditional Access policies', async () => {
    await reachPlan(
      buildPlan({
        planned: 1,
        byAction: { update: 1 },
        selection: { types: ['conditionalAccessPolicies'], relationships: true, removeNew: false },
      }),
      [
        buildAction({
          type: 'conditionalAccessPolicies',
          collection: 'policies',
          displayName: 'Require MFA',
        }),
      ],
    );

    expect(root().querySelector('.ca-warning')?.getAttribute('role')).toBe('alert');
    expect(text('.ca-warning')).toContain('written disabled first');
  });

  it('cannot go on when the consent lacks a write permission', async () => {
    await reachPlan(buildPlan({ missingPermissions: ['User.ReadWrite.All'] }));

    expect(text('[role="alert"]')).toContain('User.ReadWrite.All');
    expect(button('Continue').disabled).toBe(true);
  });

  it("shows the API's reason when the plan cannot be computed", async () => {
    button('Compute the plan').click();
    fixture.detectChanges();
    http
      .expectOne({ method: 'POST', url: restorePlansUrl(TENANT_ID) })
      .flush(buildErrorBody(409, 'RESTORE_TENANT_BUSY', 'A backup or restore of tenant x is running'), {
        status: 409,
        statusText: 'Conflict',
      });
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text('[role="alert"]')).toContain('A backup or restore of tenant x is running');
    expect(button('Try again')).toBeTruthy();
  });

  it('enables "Restore now" only when the tenant name is typed exactly, then follows progress to the result', async () => {
    await reachPlan();
    await click('Continue');
    expect(root().querySelector('[aria-current="step"]')?.textContent).toContain('Confirm');
    expect(text('mat-hint')).toContain('Contoso');
    expect(button('Restore now').disabled).toBe(true);
    await type('contoso');
    expect(button('Restore now').disabled).toBe(true);
    await type('Contoso ');
    expect(button('Restore now').disabled).toBe(true);
    await type('Contoso');
    expect(button('Restore now').disabled).toBe(false);

    button('Restore now').click();
    const start = http.expectOne({ method: 'POST', url: restoresUrl(TENANT_ID) });
    expect(start.request.body).toEqual({ planId: PLAN_ID });
    start.flush({ restoreId: RESTORE_ID }, { status: 202, statusText: 'Accepted' });
    await fixture.whenStable();
    fixture.detectChanges();

    // Step 4: live progress from the server-sent events.
    const source = FakeEventSource.opened.at(-1)!;
    expect(source.url).toBe(`${restoreUrl(TENANT_ID, RESTORE_ID)}/events`);
    expect(text('.progress')).toContain('Backing up the tenant before the first write');
    source.emit({ kind: 'restore-started', restoreId: RESTORE_ID, planned: 3, at: AT });
    source.emit({
      kind: 'restore-step',
      restoreId: RESTORE_ID,
      step: 'users',
      done: 2,
      failed: 0,
      planned: 3,
      at: AT,
    });
    fixture.detectChanges();
    expect(text('.progress')).toContain('Writing users…');
    expect(text('.progress')).toContain('2 of 3 actions done');

    const run = buildRestoreRun({
      status: 'partial',
      counts: buildCounts({ recreated: 1, failed: 1, skipped: 1 }),
      idMap: { [USER_ID]: NEW_USER_ID },
    });
    source.emit({ kind: 'restore-finished', restoreId: RESTORE_ID, run, at: AT });
    expect(source.closed).toBe(true);
    // (No whenStable here: the result's pending requests keep the page unstable until answered.)
    fixture.detectChanges();

    // Step 5: the result, read from the restore and its actions.
    http.expectOne(restoreUrl(TENANT_ID, RESTORE_ID)).flush(run);
    http
      .expectOne((r) => r.url === `${restoreUrl(TENANT_ID, RESTORE_ID)}/actions`)
      .flush(
        page([
          buildAction({
            seq: 0,
            action: 'recreate',
            state: 'done',
            displayName: 'Gone Greta',
            newId: NEW_USER_ID,
          }),
          buildAction({
            seq: 1,
            action: 'skip',
            state: 'skipped',
            displayName: 'Synced Sam',
            reason: 'Synchronised from on-premises',
          }),
          buildAction({
            seq: 2,
            state: 'failed',
            displayName: 'Alex Wilber',
            error: { code: 'Request_BadRequest', message: "Property 'department' is read-only" },
          }),
        ]),
      );
    await fixture.whenStable();
    fixture.detectChanges();

    expect(root().querySelector('[aria-current="step"]')?.textContent).toContain('Result');
    expect(text('.counts')).toBe('1 re-created · 1 skipped · 1 failed');
    expect(text('table.list')).toContain(`${USER_ID} → ${NEW_USER_ID}`);
    expect(text('eb-restore-result-view')).toContain(
      "Property 'department' is read-only (Request_BadRequest)",
    );
    expect(text('eb-restore-result-view')).toContain('Synced Sam');
    expect(text('eb-restore-result-view')).toContain('Synchronised from on-premises');

    // The temporary password is handed out once, with a warning.
    await click('Show the temporary passwords');
    http.expectOne({ method: 'POST', url: `${restoreUrl(TENANT_ID, RESTORE_ID)}/credentials` }).flush({
      items: [
        {
          id: USER_ID,
          newId: NEW_USER_ID,
          userPrincipalName: 'greta@contoso.test',
          temporaryPassword: 'Tmp-Pass-1!',
        },
      ],
    });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(text('eb-restore-credentials')).toContain('shown only once');
    expect(text('.password')).toBe('Tmp-Pass-1!');
    expect(root().querySelector('[aria-label="Copy the password of greta@contoso.test"]')).not.toBeNull();
  });

  it('says so when the link names an unknown type, and offers no plan', async () => {
    fixture.componentRef.setInput('types', 'users,unicorns');
    fixture.detectChanges();

    expect(text('[role="alert"]')).toContain('Unknown object type(s): unicorns');
    expect(root().textContent).not.toContain('Compute the plan');
  });
});
