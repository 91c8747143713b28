import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import {
  DEFAULT_RETENTION_POLICY,
  type RetentionPreviewResponse,
  type RetentionSettingsResponse,
} from '@entra-backup/common';
import { RetentionCard } from './retention-card';
import { retentionUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function settings(overrides: Partial<RetentionSettingsResponse> = {}): RetentionSettingsResponse {
  return {
    tenantId: TENANT_ID,
    policy: DEFAULT_RETENTION_POLICY,
    isDefault: true,
    legalHold: false,
    legalHoldReason: null,
    updatedAt: null,
    updatedBy: null,
    lastPrune: null,
    ...overrides,
  };
}

describe(RetentionCard.name, () => {
  let fixture: ComponentFixture<RetentionCard>;
  let http: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent?.replace(/\s+/g, ' ') ?? '';
  const button = (label: string) =>
    Array.from(element().querySelectorAll('button')).find((b) => b.textContent?.includes(label))!;
  const input = (name: string) => element().querySelector<HTMLInputElement>(`input[name="${name}"]`)!;

  async function render(value: RetentionSettingsResponse, readOnly = false): Promise<void> {
    fixture = TestBed.createComponent(RetentionCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.componentRef.setInput('readOnly', readOnly);
    fixture.detectChanges();
    http.expectOne(retentionUrl(TENANT_ID)).flush(value);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  async function type(name: string, value: string): Promise<void> {
    input(name).value = value;
    input(name).dispatchEvent(new Event('input'));
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [RetentionCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('shows the default policy in the form', async () => {
    await render(settings());

    expect(input('keepAllDays').value).toBe('14');
    expect(input('dailyDays').value).toBe('30');
    expect(input('weeklyWeeks').value).toBe('12');
    expect(input('monthlyMonths').value).toBe('12');
    expect(input('logDays').value).toBe('365');
    expect(text()).toContain('These are the defaults.');
  });

  it('calculates the effect of the edited policy before saving it', async () => {
    await render(settings({ isDefault: false }));
    await type('monthlyMonths', '6');

    button('Calculate effect').click();
    const request = http.expectOne({ method: 'POST', url: `${retentionUrl(TENANT_ID)}/preview` });
    expect(request.request.body).toEqual({ policy: { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 6 } });
    const preview: RetentionPreviewResponse = {
      tenantId: TENANT_ID,
      policy: { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 6 },
      computedAt: '2026-12-07T12:00:00.000Z',
      legalHold: false,
      snapshotsKept: 40,
      snapshotsPruned: [
        { snapshotId: 's1', seq: 1, createdAt: '2025-11-03T02:00:00.000Z' },
        { snapshotId: 's2', seq: 2, createdAt: '2025-11-04T02:00:00.000Z' },
      ],
      freed: { snapshots: 2, objectVersions: 17, logEntries: 5, blobs: 9, bytes: 3 * 1024 * 1024 },
    };
    request.flush(preview);
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text()).toContain('2 of 42 snapshots would be pruned now');
    expect(text()).toContain('17 object versions, 5 log entries and 3.0 MB of storage');

    button('Save').click();
    const save = http.expectOne({ method: 'PUT', url: retentionUrl(TENANT_ID) });
    expect(save.request.body).toEqual({ policy: { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 6 } });
    save.flush(settings({ isDefault: false, policy: { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 6 } }));
    await fixture.whenStable();
  });

  it('says what is wrong with an invalid value and offers neither calculation nor saving', async () => {
    await render(settings());
    await type('keepAllDays', '0');

    expect(element().querySelector('[role="alert"]')?.textContent).toContain('Keep every snapshot for days');
    expect(button('Calculate effect').disabled).toBe(true);
    expect(button('Save').disabled).toBe(true);
  });

  it('places a legal hold with its reason and shows it', async () => {
    await render(settings());
    await type('legalHoldReason', 'Case 42');

    element().querySelector<HTMLButtonElement>('mat-slide-toggle button')!.click();
    const save = http.expectOne({ method: 'PUT', url: retentionUrl(TENANT_ID) });
    expect(save.request.body).toEqual({ legalHold: true, legalHoldReason: 'Case 42' });
    save.flush(settings({ legalHold: true, legalHoldReason: 'Case 42' }));
    await fixture.whenStable();
    fixture.detectChanges();

    expect(text()).toContain('A legal hold is in force (Case 42): nothing is pruned until it is released.');
  });

  it('shows the last prune, and no controls to a read-only role', async () => {
    await render(
      settings({
        lastPrune: {
          id: 'p1',
          trigger: 'schedule',
          status: 'failed',
          actor: 'schedule',
          startedAt: '2026-12-07T03:00:00.000Z',
          finishedAt: '2026-12-07T03:00:01.000Z',
          freed: { snapshots: 0, objectVersions: 0, logEntries: 0, blobs: 0, bytes: 0 },
          reason: 'disk I/O error',
        },
      }),
      true,
    );

    expect(text()).toContain('failed — disk I/O error');
    expect(element().querySelector('mat-card-actions')).toBeNull();
    expect(element().querySelector('mat-slide-toggle')).toBeNull();
    expect(input('keepAllDays').disabled).toBe(true);
  });
});
