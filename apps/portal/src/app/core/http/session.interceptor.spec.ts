import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { CSRF_HEADER } from '@entra-backup/common';
import { firstValueFrom } from 'rxjs';
import { buildErrorBody } from '../../testing/builders';
import { loadSession } from '../../testing/session';
import { SessionStore } from '../session/session-store';
import { sessionInterceptor } from './session.interceptor';

describe('sessionInterceptor', () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let store: SessionStore;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
    store = TestBed.inject(SessionStore);
    router = TestBed.inject(Router);
    await loadSession(store, http);
  });

  afterEach(() => http.verify());

  it('sends the CSRF token with state-changing API requests only', () => {
    client.post('/api/things', {}).subscribe();
    client.put('/api/things/1', {}).subscribe();
    client.get('/api/things').subscribe();
    client.post('https://elsewhere.example/hook', {}).subscribe();

    expect(http.expectOne({ method: 'POST', url: '/api/things' }).request.headers.get(CSRF_HEADER)).toBe(
      'csrf-token-1',
    );
    expect(http.expectOne({ method: 'PUT', url: '/api/things/1' }).request.headers.get(CSRF_HEADER)).toBe(
      'csrf-token-1',
    );
    expect(http.expectOne({ method: 'GET', url: '/api/things' }).request.headers.has(CSRF_HEADER)).toBe(
      false,
    );
    expect(http.expectOne('https://elsewhere.example/hook').request.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('shows the portal signed out when the session has ended', async () => {
    const navigate = vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    const request = firstValueFrom(client.get('/api/tenants/x/backups'));
    http
      .expectOne('/api/tenants/x/backups')
      .flush(buildErrorBody(401, 'AUTHENTICATION_REQUIRED', 'Sign in first'), {
        status: 401,
        statusText: 'Unauthorized',
      });

    await expect(request).rejects.toMatchObject({ status: 401 });
    expect(store.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('opens "no access" when the admin role is gone', async () => {
    const navigate = vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    const request = firstValueFrom(client.get('/api/tenants/x/settings'));
    http
      .expectOne('/api/tenants/x/settings')
      .flush(buildErrorBody(403, 'NO_ACCESS', 'No access'), { status: 403, statusText: 'Forbidden' });

    await expect(request).rejects.toMatchObject({ status: 403 });
    expect(navigate).toHaveBeenCalledWith('/no-access');
  });

  it('leaves other failures to the page', async () => {
    const navigate = vi.spyOn(router, 'navigateByUrl');
    const request = firstValueFrom(client.post('/api/tenants/x/backups', {}));
    http.expectOne('/api/tenants/x/backups').flush(buildErrorBody(409, 'BACKUP_ALREADY_RUNNING', 'Running'), {
      status: 409,
      statusText: 'Conflict',
    });

    await expect(request).rejects.toMatchObject({ status: 409 });
    expect(navigate).not.toHaveBeenCalled();
    expect(store.signedIn()).toBe(true);
  });
});
