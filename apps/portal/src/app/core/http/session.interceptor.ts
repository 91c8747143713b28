import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { CSRF_HEADER, PORTAL_PATHS, PortalErrorCode, errorBodySchema } from '@entra-backup/common';
import { catchError, throwError } from 'rxjs';
import { SESSION_URL, SessionStore } from '../session/session-store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Adds the session's CSRF token to every state-changing API request, and turns an ended
 * session (401) into the signed-out portal and a lost admin role (403 NO_ACCESS) into the
 * "no access" page instead of an error on whatever page was open.
 */
export const sessionInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const token = session.csrfToken();
  const outgoing =
    !SAFE_METHODS.has(request.method) && token !== null && request.url.startsWith('/api/')
      ? request.clone({ setHeaders: { [CSRF_HEADER]: token } })
      : request;
  return next(outgoing).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && request.url !== SESSION_URL) {
        const code = errorBodySchema.safeParse(error.error).data?.code;
        if (error.status === 401 && code === PortalErrorCode.AUTHENTICATION_REQUIRED && session.signedIn()) {
          session.markSignedOut();
          void router.navigateByUrl(PORTAL_PATHS.home);
        } else if (error.status === 403 && code === PortalErrorCode.NO_ACCESS) {
          void router.navigateByUrl(PORTAL_PATHS.noAccess);
        }
      }
      return throwError(() => error);
    }),
  );
};
