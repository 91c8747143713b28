import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { buildErrorBody, buildSession } from '../../testing/builders';
import { loadSession } from '../../testing/session';
import { LOGOUT_URL, SessionStore } from '../session/session-store';
import { NoAccessPage } from './no-access-page';

describe(NoAccessPage.name, () => {
  let fixture: ComponentFixture<NoAccessPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [NoAccessPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    const session = buildSession();
    await loadSession(TestBed.inject(SessionStore), http, {
      ...session,
      user: { ...session.user!, name: 'Mo Member', upn: 'mo@contoso.test', roles: [], hasAccess: false },
    });
    fixture = TestBed.createComponent(NoAccessPage);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function signOutButton(): HTMLButtonElement {
    return Array.from(root().querySelectorAll('button')).find((b) => b.textContent?.includes('Sign out'))!;
  }

  it('names the user and the roles that may use the backup', () => {
    const text = root().textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('No access');
    expect(text).toContain('Mo Member (mo@contoso.test)');
    expect(text).toContain('Global Administrator or Privileged Role Administrator');
  });

  it('signs out and returns to the landing page', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    signOutButton().click();
    http
      .expectOne({ method: 'POST', url: LOGOUT_URL })
      .flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith('/'));
    expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
  });

  it('says so when signing out fails', async () => {
    signOutButton().click();
    http
      .expectOne({ method: 'POST', url: LOGOUT_URL })
      .flush(buildErrorBody(500, 'INTERNAL_ERROR', 'Try again later'), {
        status: 500,
        statusText: 'Server Error',
      });
    await fixture.whenStable();
    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'Could not sign out: Try again later',
    );
    expect(signOutButton().disabled).toBe(false);
  });
});
