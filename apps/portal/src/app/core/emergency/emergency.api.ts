import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  type EmergencySignInRequest,
  type EmergencySignInResponse,
  emergencySignInResponseSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const EMERGENCY_SIGN_IN_URL = '/api/emergency/sign-in';

/** Emergency sign-in with a break-glass account (no Microsoft sign-in involved). */
@Injectable({ providedIn: 'root' })
export class EmergencyApi {
  private readonly http = inject(HttpClient);

  signIn(request: EmergencySignInRequest): Observable<EmergencySignInResponse> {
    return this.http
      .post<unknown>(EMERGENCY_SIGN_IN_URL, request)
      .pipe(map((raw) => emergencySignInResponseSchema.parse(raw)));
  }
}
