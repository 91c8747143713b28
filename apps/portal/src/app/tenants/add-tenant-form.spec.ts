import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { TenantResponse } from '@entra-backup/common';
import { buildErrorBody, buildTenant } from '../testing/builders';
import { AddTenantForm } from './add-tenant-form';
import { TENANTS_URL } from './tenants.api';

describe(AddTenantForm.name, () => {
  let fixture: ComponentFixture<AddTenantForm>;
  let http: HttpTestingController;
  let added: TenantResponse[];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [AddTenantForm],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AddTenantForm);
    added = [];
    fixture.componentInstance.tenantAdded.subscribe((tenant) => added.push(tenant));
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  async function fill(tenantId: string, displayName: string): Promise<void> {
    const [tenantIdInput, nameInput] = Array.from(root().querySelectorAll('input'));
    tenantIdInput!.value = tenantId;
    tenantIdInput!.dispatchEvent(new Event('input'));
    nameInput!.value = displayName;
    nameInput!.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    (root().querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await fixture.whenStable();
  }

  function errors(): string[] {
    return Array.from(root().querySelectorAll('mat-error')).map((e) => e.textContent?.trim() ?? '');
  }

  it('asks for both fields without calling the API', async () => {
    await submit();

    expect(errors()).toEqual(['Enter the tenant ID.', 'Enter a name for the tenant.']);
    http.expectNone(TENANTS_URL);
  });

  it('rejects a tenant id that is not a GUID without calling the API', async () => {
    await fill('contoso.onmicrosoft.com', 'Contoso');
    await submit();

    expect(errors()).toEqual(['The tenant ID must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47.']);
    http.expectNone(TENANTS_URL);
  });

  it('rejects a name of only spaces', async () => {
    await fill('72f988bf-86f1-41af-91ab-2d7cd011db47', '   ');
    await submit();

    expect(errors()).toEqual(['Enter a name for the tenant.']);
    http.expectNone(TENANTS_URL);
  });

  it('posts the trimmed values, emits the created tenant and clears the form', async () => {
    await fill(' 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ', '  Contoso  ');
    await submit();

    const request = http.expectOne({ method: 'POST', url: TENANTS_URL });
    expect(request.request.body).toEqual({
      tenantId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
      displayName: 'Contoso',
    });
    expect(root().querySelector('button[type="submit"]')?.hasAttribute('disabled')).toBe(true);

    const created = buildTenant();
    request.flush(created, { status: 201, statusText: 'Created' });
    await fixture.whenStable();

    expect(added).toEqual([created]);
    const inputs = Array.from(root().querySelectorAll('input'));
    expect(inputs.map((i) => i.value)).toEqual(['', '']);
    expect(errors()).toEqual([]);
    expect(root().querySelector('button[type="submit"]')?.hasAttribute('disabled')).toBe(false);
  });

  it("shows the server's message when it refuses the tenant, keeping the input", async () => {
    await fill('72f988bf-86f1-41af-91ab-2d7cd011db47', 'Contoso');
    await submit();

    http
      .expectOne({ method: 'POST', url: TENANTS_URL })
      .flush(
        buildErrorBody(
          409,
          'TENANT_EXISTS',
          'Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 is already registered',
        ),
        {
          status: 409,
          statusText: 'Conflict',
        },
      );
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 is already registered',
    );
    expect(added).toEqual([]);
    expect(root().querySelector('input')?.value).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
  });
});
