import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ReconciliationPolicy } from '@entra-backup/common';
import { ReconciliationCard } from './reconciliation-card';
import { reconciliationUrl } from './reconciliation.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const WEEKLY: ReconciliationPolicy = { tenantId: TENANT_ID, everyDays: 7, isDefault: true, updatedAt: null };

describe(ReconciliationCard.name, () => {
  let fixture: ComponentFixture<ReconciliationCard>;
  let http: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;
  const input = () => element().querySelector<HTMLInputElement>('input[name="everyDays"]');
  const saveButton = () =>
    Array.from(element().querySelectorAll('button')).find((b) => b.textContent?.includes('Save interval'));

  async function render(readOnly: boolean, policy: ReconciliationPolicy = WEEKLY): Promise<void> {
    TestBed.configureTestingModule({
      imports: [ReconciliationCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ReconciliationCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.componentRef.setInput('readOnly', readOnly);
    fixture.detectChanges();
    http.expectOne(reconciliationUrl(TENANT_ID)).flush(policy);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  afterEach(() => http.verify());

  it('explains the weekly default and saves another interval', async () => {
    await render(false);
    expect(element().textContent).toContain('Every 7 days a backup reads the whole tenant');
    expect(input()!.value).toBe('7');

    input()!.value = '3';
    input()!.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    saveButton()!.click();
    const put = http.expectOne({ method: 'PUT', url: reconciliationUrl(TENANT_ID) });
    expect(put.request.body).toEqual({ everyDays: 3 });
    put.flush({ ...WEEKLY, everyDays: 3, isDefault: false, updatedAt: '2026-11-26T06:00:00.000Z' });
    await fixture.whenStable();
    fixture.detectChanges();
    expect(element().textContent).toContain('Every 3 days a backup reads the whole tenant');
  });

  it('does not offer to save what is not 1 to 90 whole days', async () => {
    await render(false);
    input()!.value = '0';
    input()!.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    expect(saveButton()!.disabled).toBe(true);
  });

  it('shows the interval without a form to principals who may not change settings', async () => {
    await render(true, { ...WEEKLY, everyDays: 1, isDefault: false, updatedAt: '2026-11-26T06:00:00.000Z' });
    expect(input()).toBeNull();
    expect(element().textContent).toContain('Every 1 day');
  });
});
