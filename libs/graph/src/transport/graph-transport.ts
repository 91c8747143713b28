export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL, sent exactly as given. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Awaited immediately before the request goes on the wire (after the token is attached). */
  beforeSend?: () => Promise<void>;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** One HTTP attempt against Graph, with the tenant's token attached. No retries at this level. */
export abstract class GraphTransport {
  abstract send(request: TransportRequest): Promise<TransportResponse>;
}
