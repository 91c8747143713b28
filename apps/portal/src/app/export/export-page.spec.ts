import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '../core/session/session-store';
import { loadSession } from '../testing/session';
import { ExportPage } from './export-page';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BASE = `/api/tenants/${TENANT_ID}/snapshots`;

describe(ExportPage.name, () => {
  let fixture: ComponentFixture<ExportPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ExportPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http);
    fixture = TestBed.createComponent(ExportPage);
    fixture.componentRef.setInput('snapshot', '12');
    fixture.detectChanges();
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function download(): string | null {
    const link = root().querySelector<HTMLAnchorElement>('a.download');
    return link === null ? null : link.getAttribute('href');
  }

  async function check(selector: string): Promise<void> {
    root().querySelector<HTMLInputElement>(`${selector} input`)!.click();
    fixture.detectChanges();
    await fixture.whenStable();
  }

  it('links the whole snapshot as a zip, without BitLocker keys', () => {
    expect(download()).toBe(`${BASE}/12/export.zip`);
    expect(root().querySelector('a.download')?.hasAttribute('download')).toBe(true);
  });

  it('exports the chosen types only, and offers no download while none is chosen', async () => {
    await check('fieldset mat-checkbox'); // "Every type" off
    expect(download()).toBeNull();
    expect(root().querySelector<HTMLButtonElement>('button.download')?.disabled).toBe(true);
    expect(root().textContent).toContain('Choose at least one object type.');

    await check('mat-checkbox[data-type="users"]');
    await check('mat-checkbox[data-type="groups"]');
    expect(download()).toBe(`${BASE}/12/export.zip?types=users%2Cgroups`);
  });

  it('asks for a confirmation before it adds the BitLocker keys', async () => {
    await check('mat-checkbox.keys');
    expect(root().querySelector('.notice.warn')?.textContent).toContain('audit trail');
    expect(download()).toBeNull();

    await check('mat-checkbox.keys-confirm');
    expect(download()).toBe(`${BASE}/12/export.zip?bitlockerKeys=true`);

    await check('mat-checkbox.keys');
    expect(download()).toBe(`${BASE}/12/export.zip`);
  });
});
