import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LOGIN_URL, SessionStore } from '../session/session-store';
import { loadSession } from '../../testing/session';
import { LandingPage } from './landing-page';

describe(LandingPage.name, () => {
  let fixture: ComponentFixture<LandingPage>;
  let http: HttpTestingController;

  async function create(demoMode: boolean, signInError?: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      imports: [LandingPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, {
      authenticated: false,
      demoMode,
      csrfToken: null,
    });
    fixture = TestBed.createComponent(LandingPage);
    if (signInError !== undefined) fixture.componentRef.setInput('signInError', signInError);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  afterEach(() => http.verify());

  it('offers "Sign in with Microsoft 365" through the API', async () => {
    const root = await create(false);
    const link = Array.from(root.querySelectorAll('a')).find((a) =>
      a.textContent?.includes('Sign in with Microsoft 365'),
    );
    expect(link?.getAttribute('href')).toBe(LOGIN_URL);
    expect(root.textContent).not.toContain('Demo mode.');
  });

  it('offers the partner portal beside it, signing in back to the partner portal', async () => {
    const root = await create(false);
    const link = Array.from(root.querySelectorAll('a')).find((a) =>
      a.textContent?.includes('Partner portal'),
    );
    expect(link?.getAttribute('href')).toBe(`${LOGIN_URL}?returnTo=%2Fpartner`);
  });

  it('links the emergency sign-in discreetly, for when Microsoft sign-in is unavailable', async () => {
    const root = await create(false);
    const link = Array.from(root.querySelectorAll('a')).find((a) =>
      a.textContent?.includes('Locked out? Emergency sign-in'),
    );
    expect(link?.getAttribute('href')).toBe('/emergency');
  });

  it('explains demo mode', async () => {
    const root = await create(true);
    expect(root.querySelector('[role="note"]')?.textContent).toContain('Demo mode.');
  });

  it('shows why a sign-in failed', async () => {
    const root = await create(false, 'The sign-in was cancelled.');
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'Sign-in failed. The sign-in was cancelled.',
    );
  });
});
