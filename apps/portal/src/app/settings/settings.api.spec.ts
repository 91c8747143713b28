import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { ZodError } from 'zod';
import { buildSettings, buildSettingsStatus } from '../testing/builders';
import { SettingsApi, consentUrl, settingsUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe(SettingsApi.name, () => {
  let sut: SettingsApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    sut = TestBed.inject(SettingsApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('escapes the tenant id in the address', () => {
    expect(settingsUrl('a/b?c')).toBe('/api/tenants/a%2Fb%3Fc/settings');
  });

  it('puts only the switched type and returns the stored settings with their permission status', async () => {
    const saved = firstValueFrom(sut.setObjectType(TENANT_ID, 'signInLogs', true));

    const request = http.expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({ enabledTypes: { signInLogs: true } });
    request.flush(buildSettingsStatus({ enabledTypes: { signInLogs: true } }));

    const result = await saved;
    expect(result.enabledTypes.signInLogs).toBe(true);
    expect(result.types.signInLogs.permissionsGranted).toBe(true);
  });

  it('rejects settings that lack the permission status', async () => {
    const saved = firstValueFrom(sut.setObjectType(TENANT_ID, 'users', true));
    http.expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) }).flush(buildSettings());
    await expect(saved).rejects.toBeInstanceOf(ZodError);
  });

  it("starts admin consent and returns Microsoft's consent page", async () => {
    const started = firstValueFrom(sut.startConsent(TENANT_ID));

    const request = http.expectOne({ method: 'POST', url: `${consentUrl(TENANT_ID)}/start` });
    request.flush({ redirectUrl: 'https://login.example/tenant/v2.0/adminconsent?state=abc' });

    await expect(started).resolves.toEqual({
      redirectUrl: 'https://login.example/tenant/v2.0/adminconsent?state=abc',
    });
  });
});
