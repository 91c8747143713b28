import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { allObjectTypesOff } from '@entra-backup/common';
import { firstValueFrom } from 'rxjs';
import { ZodError } from 'zod';
import { buildSettings } from '../testing/builders';
import { SettingsApi, settingsUrl } from './settings.api';

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

  it('puts only the switched type and returns the stored settings', async () => {
    const saved = firstValueFrom(
      sut.setObjectType('72f988bf-86f1-41af-91ab-2d7cd011db47', 'signInLogs', true),
    );

    const request = http.expectOne({
      method: 'PUT',
      url: '/api/tenants/72f988bf-86f1-41af-91ab-2d7cd011db47/settings',
    });
    expect(request.request.body).toEqual({ enabledTypes: { signInLogs: true } });
    const stored = buildSettings({ enabledTypes: { ...allObjectTypesOff(), signInLogs: true } });
    request.flush(stored);

    await expect(saved).resolves.toEqual(stored);
  });

  it('rejects settings that lack object types', async () => {
    const saved = firstValueFrom(sut.setObjectType('72f988bf-86f1-41af-91ab-2d7cd011db47', 'users', true));

    http.expectOne(settingsUrl('72f988bf-86f1-41af-91ab-2d7cd011db47')).flush({
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      enabledTypes: { users: true },
      updatedAt: '2026-11-20T09:30:00.000Z',
    });

    await expect(saved).rejects.toBeInstanceOf(ZodError);
  });
});
