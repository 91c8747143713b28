import { HttpErrorResponse, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ZodError } from 'zod';
import { buildErrorBody, buildTenant } from '../testing/builders';
import { TENANTS_URL, TenantsApi } from './tenants.api';

describe(TenantsApi.name, () => {
  let sut: TenantsApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    sut = TestBed.inject(TenantsApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('posts the new tenant and returns the created one', async () => {
    const created = firstValueFrom(
      sut.createTenant({ tenantId: buildTenant().tenantId, displayName: 'Contoso' }),
    );

    const request = http.expectOne({ method: 'POST', url: TENANTS_URL });
    expect(request.request.body).toEqual({ tenantId: buildTenant().tenantId, displayName: 'Contoso' });
    request.flush(buildTenant(), { status: 201, statusText: 'Created' });

    await expect(created).resolves.toEqual(buildTenant());
  });

  it('rejects a response that is not a tenant', async () => {
    const created = firstValueFrom(
      sut.createTenant({ tenantId: buildTenant().tenantId, displayName: 'Contoso' }),
    );

    http.expectOne(TENANTS_URL).flush({ ok: true }, { status: 201, statusText: 'Created' });

    await expect(created).rejects.toBeInstanceOf(ZodError);
  });

  it('passes the API error on to the caller', async () => {
    const created = firstValueFrom(
      sut.createTenant({ tenantId: buildTenant().tenantId, displayName: 'Contoso' }),
    );

    http.expectOne(TENANTS_URL).flush(buildErrorBody(409, 'TENANT_EXISTS', 'already registered'), {
      status: 409,
      statusText: 'Conflict',
    });

    await expect(created).rejects.toBeInstanceOf(HttpErrorResponse);
  });
});
