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
    details?: GraphErrorDetail[];
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

/**
 * An entry of `error.details`, as the directory sends for uniqueness conflicts, e.g.
 * `{"code":"ObjectConflict","message":"Another object with the same value for property userPrincipalName already exists.","target":"userPrincipalName"}`
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/1508).
 */
export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export function graphErrorBody(
  code: string,
  message: string,
  requestId: string = randomUUID(),
  clientRequestId: string = requestId,
  details?: readonly GraphErrorDetail[],
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      ...(details && details.length > 0 ? { details: details.map((d) => ({ ...d })) } : {}),
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
    readonly details?: readonly GraphErrorDetail[],
  ) {
    super(message);
  }
}
