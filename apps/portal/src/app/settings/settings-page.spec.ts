import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { Router, provideRouter } from '@angular/router';
import { buildErrorBody, buildSettings, buildTenant } from '../testing/builders';
import { TENANTS_URL } from '../tenants/tenants.api';
import { SettingsPage } from './settings-page';
import { settingsUrl } from './settings.api';

const CONTOSO = buildTenant({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Contoso' });
const FABRIKAM = buildTenant({ tenantId: '11111111-2222-3333-4444-555555555555', displayName: 'Fabrikam' });

describe(SettingsPage.name, () => {
  let fixture: ComponentFixture<SettingsPage>;
  let http: HttpTestingController;
  let loader: HarnessLoader;

  function create(tenantId?: string): void {
    TestBed.configureTestingModule({
      imports: [SettingsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SettingsPage);
    if (tenantId !== undefined) fixture.componentRef.setInput('tenantId', tenantId);
    fixture.detectChanges();
    loader = TestbedHarnessEnvironment.loader(fixture);
  }

  afterEach(() => http.verify());

  function text(): string {
    return (fixture.nativeElement as HTMLElement).textContent ?? '';
  }

  function answerTenants(body: object, init?: { status: number; statusText: string }): void {
    http.expectOne({ method: 'GET', url: TENANTS_URL }).flush(body, init);
    TestBed.tick();
  }

  /**
   * Not whenStable(): an opening settings card keeps the app busy until its own request is
   * answered, and it starts that request only after the page has rendered it.
   */
  async function settingsRequest(tenantId: string) {
    return vi.waitFor(() => http.expectOne({ method: 'GET', url: settingsUrl(tenantId) }));
  }

  it('opens the only tenant without asking', async () => {
    create();
    answerTenants({ items: [CONTOSO] });

    (await settingsRequest(CONTOSO.tenantId)).flush(buildSettings());
    await fixture.whenStable();

    expect(text()).toContain('Contoso');
    expect(await loader.getAllHarnesses(MatSelectHarness)).toHaveLength(0);
    expect(fixture.nativeElement.querySelector('eb-object-types-card')).not.toBeNull();
  });

  it('asks which tenant to configure when there are several', async () => {
    create();
    answerTenants({ items: [CONTOSO, FABRIKAM] });
    await fixture.whenStable();

    expect(text()).toContain('Choose the tenant to configure.');
    expect(fixture.nativeElement.querySelector('eb-object-types-card')).toBeNull();

    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const select = await loader.getHarness(MatSelectHarness);
    await select.open();
    const options = await select.getOptions();
    expect(await Promise.all(options.map((o) => o.getText()))).toEqual(['Contoso', 'Fabrikam']);
    await select.clickOptions({ text: 'Fabrikam' });

    expect(navigate).toHaveBeenCalledWith(['/settings', FABRIKAM.tenantId]);
  });

  it('opens the tenant named in the address among several', async () => {
    create(FABRIKAM.tenantId.toUpperCase());
    answerTenants({ items: [CONTOSO, FABRIKAM] });

    (await settingsRequest(FABRIKAM.tenantId)).flush(buildSettings({ tenantId: FABRIKAM.tenantId }));
    await fixture.whenStable();

    expect(await (await loader.getHarness(MatSelectHarness)).getValueText()).toBe('Fabrikam');
    expect(text()).toContain(FABRIKAM.tenantId);
  });

  it('says so when the address names a tenant that is not registered', async () => {
    create('99999999-9999-9999-9999-999999999999');
    answerTenants({ items: [CONTOSO] });
    await fixture.whenStable();

    expect(fixture.nativeElement.querySelector('[role="alert"]')?.textContent).toContain(
      'No tenant with the ID 99999999-9999-9999-9999-999999999999 is registered.',
    );
    expect(fixture.nativeElement.querySelector('eb-object-types-card')).toBeNull();
  });

  it('points to the tenants page when no tenant is registered', async () => {
    create();
    answerTenants({ items: [] });
    await fixture.whenStable();

    expect(text()).toContain('No tenants yet.');
    expect(fixture.nativeElement.querySelector('a[href="/"]')?.textContent).toContain('Add a tenant');
  });

  it("shows the API's message when the tenants cannot be loaded", async () => {
    create();
    answerTenants(buildErrorBody(503, 'DATABASE_UNAVAILABLE', 'The database is starting up'), {
      status: 503,
      statusText: 'Service Unavailable',
    });
    await fixture.whenStable();

    expect(fixture.nativeElement.querySelector('[role="alert"]')?.textContent).toContain(
      'The database is starting up',
    );
  });
});
