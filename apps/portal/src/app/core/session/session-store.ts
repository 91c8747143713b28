import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { type SessionResponse, sessionSchema } from '@entra-backup/common';
import { firstValueFrom } from 'rxjs';
import { describeApiError } from '../http/api-error';

export const SESSION_URL = '/api/auth/session';
export const LOGIN_URL = '/api/auth/login';
export const LOGOUT_URL = '/api/auth/logout';

/**
 * Who is signed in, loaded once before the first navigation (the guards need it) and again after
 * signing out. The CSRF token it holds goes with every state-changing request.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly http = inject(HttpClient);
  private readonly state = signal<SessionResponse | undefined>(undefined);
  private readonly failure = signal<string | undefined>(undefined);

  /** Undefined until loaded. */
  readonly session = this.state.asReadonly();
  /** Why the session could not be loaded (the service is down, ...). */
  readonly loadError = this.failure.asReadonly();
  readonly user = computed(() => (this.state()?.authenticated ? this.state()?.user : undefined));
  readonly signedIn = computed(() => this.user() !== undefined);
  readonly hasAccess = computed(() => this.user()?.hasAccess === true);
  readonly demoMode = computed(() => this.state()?.demoMode === true);
  readonly csrfToken = computed(() => this.state()?.csrfToken ?? null);

  /** Loads the session; never rejects (a failure is kept in `loadError` and the visitor counts as signed out). */
  async load(): Promise<void> {
    try {
      const raw = await firstValueFrom(this.http.get<unknown>(SESSION_URL));
      this.state.set(sessionSchema.parse(raw));
      this.failure.set(undefined);
    } catch (error) {
      this.state.set({ authenticated: false, demoMode: false, csrfToken: null });
      this.failure.set(describeApiError(error));
    }
  }

  /** The API ended the session (401): show the portal as signed out. */
  markSignedOut(): void {
    const current = this.state();
    this.state.set({ authenticated: false, demoMode: current?.demoMode ?? false, csrfToken: null });
  }

  /** Ends the session on the server. */
  async signOut(): Promise<void> {
    await firstValueFrom(this.http.post(LOGOUT_URL, null));
    this.markSignedOut();
  }
}
