import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { buildErrorBody, buildSession } from '../../testing/builders';
import { sessionInterceptor } from '../http/session.interceptor';
import { SESSION_URL, SessionStore } from '../session/session-store';
import { EMERGENCY_SIGN_IN_URL } from './emergency.api';
import { EmergencySignInPage } from './emergency-sign-in-page';

@Component({ selector: 'eb-backups-stub', template: '<p>backups page</p>' })
class BackupsStub {}

const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe(EmergencySignInPage.name, () => {
  let fixture: ComponentFixture<EmergencySignInPage>;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [EmergencySignInPage],
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'backups', component: BackupsStub }]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    fixture = TestBed.createComponent(EmergencySignInPage);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  async function type(name: string, value: string): Promise<void> {
    const input = root().querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  function submit(): HTMLButtonElement {
    return root().querySelector<HTMLButtonElement>('button[type="submit"]')!;
  }

  async function fillIn(code = '123456'): Promise<void> {
    await type('tenantId', TENANT_ID);
    await type('username', 'break.glass');
    await type('password', 'Correct-Horse-Battery-Staple-42');
    await type('code', code);
  }

  it('asks for the tenant, user name, password and the 6-digit code before it signs in', async () => {
    expect(submit().disabled).toBe(true);
    await fillIn('12345');
    expect(submit().disabled).toBe(true);
    expect(root().textContent).toContain('Enter the 6-digit code of the authenticator app.');

    await type('code', '123456');
    expect(submit().disabled).toBe(false);
  });

  it('signs in, loads the emergency session and opens the backups', async () => {
    await fillIn();
    submit().click();

    const request = http.expectOne({ method: 'POST', url: EMERGENCY_SIGN_IN_URL });
    expect(request.request.body).toEqual({
      tenantId: TENANT_ID,
      username: 'break.glass',
      password: 'Correct-Horse-Battery-Staple-42',
      code: '123456',
    });
    request.flush({ tenantId: TENANT_ID, username: 'break.glass', csrfToken: 'csrf-2' });
    await fixture.whenStable();
    const session = buildSession();
    http.expectOne(SESSION_URL).flush({
      ...session,
      user: { ...session.user!, name: 'break.glass', kind: 'emergency', tenantAdmin: false },
    });
    await vi.waitFor(() => expect(router.url).toBe('/backups'));

    expect(TestBed.inject(SessionStore).user()?.kind).toBe('emergency');
  });

  it("shows the API's answer to a refused sign-in and clears the used code", async () => {
    await fillIn();
    submit().click();

    http
      .expectOne(EMERGENCY_SIGN_IN_URL)
      .flush(
        buildErrorBody(
          423,
          'EMERGENCY_ACCOUNT_LOCKED',
          'Too many failed attempts: emergency sign-in for this user name is locked; try again in 15 minutes',
        ),
        { status: 423, statusText: 'Locked' },
      );
    await fixture.whenStable();

    expect(root().querySelector('[role="alert"]')?.textContent).toContain('try again in 15 minutes');
    expect(root().querySelector<HTMLInputElement>('input[name="code"]')?.value).toBe('');
    expect(router.url).toBe('/');
  });
});
