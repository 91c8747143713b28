import type { HttpTestingController } from '@angular/common/http/testing';
import type { SessionResponse } from '@entra-backup/common';
import { SESSION_URL, SessionStore } from '../core/session/session-store';
import { buildSession } from './builders';

/** Loads `session` into the store through its real request, answered by the testing backend. */
export async function loadSession(
  store: SessionStore,
  http: HttpTestingController,
  session: SessionResponse = buildSession(),
): Promise<void> {
  const loaded = store.load();
  http.expectOne({ method: 'GET', url: SESSION_URL }).flush(session);
  await loaded;
}
