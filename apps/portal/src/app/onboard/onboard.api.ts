import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type OnboardingAccepted,
  type OnboardingInvitation,
  onboardingAcceptedSchema,
  onboardingInvitationSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const invitationUrl = (token: string) => `/api/onboarding/${encodeURIComponent(token)}`;

/** A partner's invitation (public: read before signing in); idle while the token is undefined. */
export function invitationResource(
  token: Signal<string | undefined>,
): HttpResourceRef<OnboardingInvitation | undefined> {
  return httpResource(
    () => {
      const t = token();
      return t === undefined ? undefined : invitationUrl(t);
    },
    { parse: (raw) => onboardingInvitationSchema.parse(raw) },
  );
}

/** The customer's answer to an invitation. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class OnboardApi {
  private readonly http = inject(HttpClient);

  /** Links the signed-in admin's tenant to the partner; `consentUrl` when consent is still to be granted. */
  accept(token: string): Observable<OnboardingAccepted> {
    return this.http
      .post<unknown>(`${invitationUrl(token)}/accept`, {})
      .pipe(map((raw) => onboardingAcceptedSchema.parse(raw)));
  }
}
