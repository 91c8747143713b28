/** One Graph request the emulator received, or one item of a `$batch` (`batched: true`). */
export interface LoggedRequest {
  /** Emulator-clock time the response was sent. */
  at: string;
  method: string;
  /** Path with the version, without the query: `/v1.0/users/{id}` as sent (`/v1.0/users/abc`). */
  path: string;
  /** Path and query as sent; for batch items the item's `url` resolved against the envelope's version. */
  url: string;
  /** HTTP status, or `dropped` when fault injection destroyed the connection. */
  status: number | 'dropped';
  /** Tenant of the access token; null when the token was refused. */
  tenantId: string | null;
  appId: string | null;
  /** The `request-id` of the request (of the envelope for batch items). */
  requestId: string;
  batched: boolean;
  /** The item's `id` inside its `$batch`. */
  batchItemId?: string;
}

export interface RequestLogQuery {
  method?: string;
  tenantId?: string;
  batched?: boolean;
}

/**
 * The Graph requests the emulator received, newest last, bounded to the last `capacity` entries. Tests use it to
 * assert what a client sent, e.g. that a dry run sent no write: `GET /_emulator/requests`, `emulator.requests`.
 */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private start = 0;
  private evicted = 0;

  constructor(readonly capacity = 100_000) {}

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length - this.start > this.capacity) {
      this.start++;
      this.evicted++;
      // Compact now and then instead of shifting on every request.
      if (this.start >= this.capacity) {
        this.entries = this.entries.slice(this.start);
        this.start = 0;
      }
    }
  }

  list(query: RequestLogQuery = {}): LoggedRequest[] {
    return this.entries
      .slice(this.start)
      .filter(
        (e) =>
          (query.method === undefined || e.method === query.method.toUpperCase()) &&
          (query.tenantId === undefined || e.tenantId === query.tenantId.toLowerCase()) &&
          (query.batched === undefined || e.batched === query.batched),
      );
  }

  /**
   * Requests that can change something: any method but GET, counting `$batch` items one by one (a `POST /$batch`
   * envelope is not itself a write; its items are listed separately), except the directory's read-only actions
   * that Graph serves as POST (`getAvailableExtensionProperties`, `getByIds`, ...).
   */
  writes(query: RequestLogQuery = {}): LoggedRequest[] {
    return this.list(query).filter(
      (e) =>
        e.method !== 'GET' &&
        e.method !== 'HEAD' &&
        !(e.method === 'POST' && (isBatchEnvelope(e) || isReadOnlyAction(e.path))),
    );
  }

  /** Entries dropped because the log was full, since the last clear. */
  get evictedCount(): number {
    return this.evicted;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
    this.evicted = 0;
  }
}

/**
 * Directory actions that read but are called with POST:
 * https://learn.microsoft.com/graph/api/directoryobject-getavailableextensionproperties,
 * https://learn.microsoft.com/graph/api/directoryobject-getbyids, .../directoryobject-getmembergroups
 */
export function isReadOnlyAction(path: string): boolean {
  return /\/(microsoft\.graph\.)?(getAvailableExtensionProperties|getByIds|getMemberGroups|getMemberObjects|checkMemberGroups|checkMemberObjects)\/?$/i.test(
    path.split('?')[0] ?? path,
  );
}

function isBatchEnvelope(e: LoggedRequest): boolean {
  return !e.batched && /^\/(v1\.0|beta)\/\$batch\/?$/i.test(e.path);
}
