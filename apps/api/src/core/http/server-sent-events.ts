import { defer, map, type Observable } from 'rxjs';

/** One server-sent event as Nest's `@Sse()` writes it. */
export interface ServerSentEvent<T> {
  readonly data: T;
  readonly id: string;
}

/**
 * Server-sent event framing for progress streams (backups, restores): each event as JSON `data`,
 * numbered from 1 (per subscriber) so a client can tell them apart.
 */
export function toServerSentEvents<T>(events: Observable<T>): Observable<ServerSentEvent<T>> {
  return defer(() => {
    let sequence = 0;
    return events.pipe(map((data) => ({ data, id: String(++sequence) })));
  });
}
