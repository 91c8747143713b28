import { randomUUID } from 'node:crypto';

/**
 * The Graph error body, exactly as documented:
 * {"error":{"code":"...","message":"...","innerError":{"date":"...","request-id":"...","client-request-id":"..."}}}
 * https://learn.microsoft.com/graph/errors
 */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(
  code: string,
  message: string,
  requestId: string = randomUUID(),
  clientRequestId: string = requestId,
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        // Graph formats this without a zone designator, e.g. 2025-02-13T10:17:05
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

/** Thrown by Graph handlers; the router turns it into the documented body and status. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
