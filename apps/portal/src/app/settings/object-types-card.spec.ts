import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { MatSnackBarHarness } from '@angular/material/snack-bar/testing';
import { OBJECT_TYPES, allObjectTypesOff } from '@entra-backup/common';
import { buildErrorBody, buildSettingsStatus } from '../testing/builders';
import { ObjectTypesCard } from './object-types-card';
import { settingsUrl } from './settings.api';

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe(ObjectTypesCard.name, () => {
  let fixture: ComponentFixture<ObjectTypesCard>;
  let http: HttpTestingController;
  let loader: HarnessLoader;
  let documentLoader: HarnessLoader;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ObjectTypesCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ObjectTypesCard);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    fixture.detectChanges();
    loader = TestbedHarnessEnvironment.loader(fixture);
    documentLoader = TestbedHarnessEnvironment.documentRootLoader(fixture);
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  async function answerSettings(body: object, init?: { status: number; statusText: string }): Promise<void> {
    http.expectOne({ method: 'GET', url: settingsUrl(TENANT_ID) }).flush(body, init);
    await fixture.whenStable();
  }

  async function toggle(label: string): Promise<MatSlideToggleHarness> {
    const harness = await loader.getHarness(MatSlideToggleHarness.with({ label }));
    await harness.toggle();
    return harness;
  }

  async function snackBarMessage(): Promise<string> {
    return (await documentLoader.getHarness(MatSnackBarHarness)).getMessage();
  }

  it('shows a progress bar while the settings load', async () => {
    expect(root().querySelector('mat-progress-bar')).not.toBeNull();

    await answerSettings(buildSettingsStatus());

    expect(root().querySelector('mat-progress-bar')).toBeNull();
  });

  it('lists the 14 object types in contract order, all off by default', async () => {
    await answerSettings(buildSettingsStatus());

    const toggles = await loader.getAllHarnesses(MatSlideToggleHarness);
    const labels = await Promise.all(toggles.map((t) => t.getLabelText()));
    const checked = await Promise.all(toggles.map((t) => t.isChecked()));
    expect(labels).toEqual(OBJECT_TYPES.map((t) => t.label));
    expect(checked.every((c) => !c)).toBe(true);
    expect(root().textContent).toContain('0 of 14 on.');
  });

  it('reflects the types the server has switched on', async () => {
    await answerSettings(
      buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), groups: true, signInLogs: true } }),
    );

    const groups = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Groups' }));
    const users = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Users' }));
    expect(await groups.isChecked()).toBe(true);
    expect(await users.isChecked()).toBe(false);
    expect(root().textContent).toContain('2 of 14 on.');
  });

  it('saves a switched type right away and confirms it', async () => {
    await answerSettings(buildSettingsStatus());

    const users = await toggle('Users');

    const request = http.expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({ enabledTypes: { users: true } });
    expect(await users.isChecked()).toBe(true);
    expect(await users.isDisabled()).toBe(true);

    request.flush(buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), users: true } }));
    await fixture.whenStable();

    expect(await users.isChecked()).toBe(true);
    expect(await users.isDisabled()).toBe(false);
    expect(await snackBarMessage()).toBe('Users will be backed up');
  });

  it('switches a type off again', async () => {
    await answerSettings(buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), auditLogs: true } }));

    const auditLogs = await toggle('Audit logs');

    const request = http.expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) });
    expect(request.request.body).toEqual({ enabledTypes: { auditLogs: false } });
    request.flush(buildSettingsStatus());
    await fixture.whenStable();

    expect(await auditLogs.isChecked()).toBe(false);
    expect(await snackBarMessage()).toBe('Audit logs will not be backed up');
  });

  it("reverts the switch and shows the server's message when saving fails", async () => {
    await answerSettings(buildSettingsStatus());

    const devices = await toggle('Devices');
    http
      .expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) })
      .flush(buildErrorBody(400, 'VALIDATION_FAILED', 'enabledTypes.devices must be a boolean'), {
        status: 400,
        statusText: 'Bad Request',
      });
    await fixture.whenStable();

    expect(await devices.isChecked()).toBe(false);
    expect(await devices.isDisabled()).toBe(false);
    expect(await snackBarMessage()).toBe('Could not save Devices: enabledTypes.devices must be a boolean');
    expect(root().textContent).toContain('0 of 14 on.');
  });

  it('keeps other switches while one is being saved', async () => {
    await answerSettings(buildSettingsStatus());

    await toggle('Users');
    await toggle('Groups');
    const [usersRequest, groupsRequest] = http.match({ method: 'PUT', url: settingsUrl(TENANT_ID) });
    // The server answers each request with everything it has stored so far.
    usersRequest!.flush(buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), users: true } }));
    await fixture.whenStable();

    const groups = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Groups' }));
    expect(await groups.isChecked()).toBe(true);

    groupsRequest!.flush(
      buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), users: true, groups: true } }),
    );
    await fixture.whenStable();
    expect(root().textContent).toContain('2 of 14 on.');
  });

  it('ignores a save that finishes after another tenant was opened', async () => {
    await answerSettings(buildSettingsStatus());
    await toggle('Users');
    const pending = http.expectOne({ method: 'PUT', url: settingsUrl(TENANT_ID) });

    const otherTenant = '11111111-2222-3333-4444-555555555555';
    fixture.componentRef.setInput('tenantId', otherTenant);
    TestBed.tick();
    const otherSettings = await vi.waitFor(() =>
      http.expectOne({ method: 'GET', url: settingsUrl(otherTenant) }),
    );
    otherSettings.flush(buildSettingsStatus({ tenantId: otherTenant }));
    await fixture.whenStable();
    pending.flush(buildSettingsStatus({ enabledTypes: { ...allObjectTypesOff(), users: true } }));
    await fixture.whenStable();

    const users = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Users' }));
    expect(await users.isChecked()).toBe(false);
    expect(await users.isDisabled()).toBe(false);
  });

  it("shows the API's message when the settings cannot be loaded", async () => {
    await answerSettings(
      buildErrorBody(404, 'TENANT_NOT_FOUND', 'Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 not found'),
      {
        status: 404,
        statusText: 'Not Found',
      },
    );

    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 not found',
    );
    expect(await loader.getAllHarnesses(MatSlideToggleHarness)).toHaveLength(0);
  });

  it('keeps every switch disabled, with the reason, until admin consent is granted', async () => {
    await answerSettings(buildSettingsStatus({ consentGranted: false }));

    const toggles = await loader.getAllHarnesses(MatSlideToggleHarness);
    expect(toggles).toHaveLength(14);
    expect((await Promise.all(toggles.map((t) => t.isDisabled()))).every(Boolean)).toBe(true);
    expect(root().querySelector('#consent-reason')?.textContent).toContain('Grant admin consent above first');
    expect(root().textContent).toContain('Permissions not granted');
    expect(root().textContent).not.toContain('Permissions granted');
  });

  it('lets a type switched on before consent was withdrawn be switched off', async () => {
    await answerSettings(buildSettingsStatus({ consentGranted: false, enabledTypes: { users: true } }));

    const users = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Users' }));
    const groups = await loader.getHarness(MatSlideToggleHarness.with({ label: 'Groups' }));
    expect(await users.isDisabled()).toBe(false);
    expect(await groups.isDisabled()).toBe(true);
  });

  it('never says the types stay off next to types that are on (switched on without consent)', async () => {
    const enabledTypes = Object.fromEntries(OBJECT_TYPES.map((t) => [t.key, t.key !== 'bitlockerKeys']));
    await answerSettings(buildSettingsStatus({ consentGranted: false, enabledTypes }));

    const reason = root().querySelector('#consent-reason')?.textContent ?? '';
    expect(root().textContent).toContain('13 of 14 on.');
    expect(reason).not.toMatch(/stay off/);
    expect(reason).toContain('13 types are on but cannot be backed up');
    expect(reason).toContain('Grant admin consent above');
  });

  it('says why the switches cannot be turned on when none is on before consent', async () => {
    await answerSettings(buildSettingsStatus({ consentGranted: false }));

    expect(root().querySelector('#consent-reason')?.textContent).toContain(
      'so no type can be switched on yet',
    );
  });

  it('shows per type whether its permissions are granted once consent is there', async () => {
    await answerSettings(buildSettingsStatus());

    expect(root().querySelector('#consent-reason')).toBeNull();
    expect(root().querySelectorAll('.permission.granted')).toHaveLength(14);
    const toggles = await loader.getAllHarnesses(MatSlideToggleHarness);
    expect((await Promise.all(toggles.map((t) => t.isDisabled()))).some(Boolean)).toBe(false);
  });

  it("shows a type's own permissions and, apart, a collection's extra ones and that it is skipped without them", async () => {
    const status = buildSettingsStatus();
    status.types.users = {
      ...status.types.users,
      permissionsGranted: true,
      requiredPermissions: ['User.Read.All'],
      collections: [
        {
          collection: 'authenticationMethods',
          permissions: [{ permission: 'UserAuthenticationMethod.Read.All', granted: false }],
          granted: false,
        },
      ],
    };
    status.types.groups = {
      ...status.types.groups,
      requiredPermissions: ['Group.Read.All'],
      collections: [
        {
          collection: 'groupSettings',
          permissions: [{ permission: 'Directory.Read.All', granted: true }],
          granted: true,
        },
      ],
    };
    await answerSettings(status);

    const items = [...root().querySelectorAll('.types li')];
    const users = items.find((li) => li.textContent?.includes('Users'))!;
    const type = users.querySelector('.permission:not(.collection)')!;
    expect(type.classList).toContain('granted');
    expect(type.textContent?.replace(/\s+/g, ' ')).toContain('Permissions granted: User.Read.All');
    const collection = users.querySelector('.permission.collection')!;
    expect(collection.classList).not.toContain('granted');
    expect(collection.textContent?.replace(/\s+/g, ' ').trim()).toContain(
      'authentication methods: UserAuthenticationMethod.Read.All — not granted, that collection is skipped',
    );
    const groups = items.find((li) => li.textContent?.includes('Groups'))!;
    expect(groups.querySelector('.permission.collection.granted')?.textContent).toContain(
      'group settings: Directory.Read.All — granted',
    );
    expect(root().querySelectorAll('.permission.collection')).toHaveLength(2);
  });
});
