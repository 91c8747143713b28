import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  type ActivatedRouteSnapshot,
  type RouterStateSnapshot,
  UrlTree,
  provideRouter,
} from '@angular/router';
import type { SessionResponse } from '@entra-backup/common';
import { buildSession } from '../../testing/builders';
import { loadSession } from '../../testing/session';
import { adminGuard, landingGuard, ownTenantSettingsGuard } from './session-guards';
import { SessionStore } from './session-store';

describe('session guards', () => {
  let http: HttpTestingController;

  async function withSession(session: SessionResponse): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    await loadSession(TestBed.inject(SessionStore), http, session);
  }

  function run(guard: typeof adminGuard): string | true {
    const result = TestBed.runInInjectionContext(() =>
      guard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    );
    if (result === true) return true;
    if (result instanceof UrlTree) return result.toString();
    throw new Error('unexpected guard result');
  }

  const signedOut: SessionResponse = { authenticated: false, demoMode: true, csrfToken: null };
  const member = (): SessionResponse => {
    const s = buildSession();
    return { ...s, user: { ...s.user!, roles: [], hasAccess: false } };
  };

  it('sends signed-out visitors of admin pages to the landing page', async () => {
    await withSession(signedOut);
    expect(run(adminGuard)).toBe('/');
    expect(run(landingGuard)).toBe(true);
  });

  it('sends users without an admin role to "no access"', async () => {
    await withSession(member());
    expect(run(adminGuard)).toBe('/no-access');
    expect(run(landingGuard)).toBe('/no-access');
  });

  it('lets admins in and takes them from the landing page to their backups', async () => {
    await withSession(buildSession());
    expect(run(adminGuard)).toBe(true);
    expect(run(landingGuard)).toBe('/backups');
    expect(run(ownTenantSettingsGuard)).toBe('/settings/72f988bf-86f1-41af-91ab-2d7cd011db47');
  });

  it('treats an unreachable service as signed out and keeps the reason', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(SessionStore);
    const loaded = store.load();
    http.expectOne('/api/auth/session').error(new ProgressEvent('error'), { status: 0, statusText: '' });
    await loaded;
    expect(store.signedIn()).toBe(false);
    expect(store.loadError()).toContain('cannot be reached');
    expect(run(adminGuard)).toBe('/');
  });
});
