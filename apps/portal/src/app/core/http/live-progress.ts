import { Observable, defer, map, repeat, takeWhile } from 'rxjs';

/** One step of live progress: an event from the stream, or the record read by polling. */
export type LiveUpdate<E, R> =
  { readonly source: 'events'; readonly event: E } | { readonly source: 'poll'; readonly run: R };

/**
 * Live progress of a backup run or a restore until it ends: its server-sent events, or, where
 * those fail before the last event (no EventSource, a proxy that buffers, a dropped connection),
 * polling of its record until it no longer runs — which also ends cleanly on work another
 * process drives. EventSource would reconnect and replay on its own; polling is simpler to reason
 * about and is what the stream falls back to once.
 */
export function liveProgress<E, R extends { readonly status: string }>(options: {
  readonly open: ((url: string) => EventSource) | null;
  readonly eventsUrl: string;
  /** The event in a message, or undefined for one that does not parse. */
  readonly parse: (raw: unknown) => E | undefined;
  readonly isLast: (event: E) => boolean;
  readonly read: () => Observable<R>;
  readonly pollIntervalMs: number;
}): Observable<LiveUpdate<E, R>> {
  // One request at a time: the next one goes out an interval after the previous answer.
  const poll = (): Observable<LiveUpdate<E, R>> =>
    defer(options.read).pipe(
      repeat({ delay: options.pollIntervalMs }),
      takeWhile((run) => run.status === 'running', true),
      map((run) => ({ source: 'poll' as const, run })),
    );
  const open = options.open;
  if (open === null) return poll();
  return new Observable<LiveUpdate<E, R>>((subscriber) => {
    let fallback: { unsubscribe(): void } | undefined;
    const source = open(options.eventsUrl);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = options.parse(safeJson(message.data));
      if (event === undefined) return;
      subscriber.next({ source: 'events', event });
      if (options.isLast(event)) {
        source.close();
        subscriber.complete();
      }
    };
    source.onerror = () => {
      source.close();
      fallback ??= poll().subscribe(subscriber);
    };
    return () => {
      source.close();
      fallback?.unsubscribe();
    };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
