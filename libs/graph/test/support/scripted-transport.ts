import { GraphTransport, TransportRequest, TransportResponse } from '../../src/transport/graph-transport';
import { Clock } from '../../src/resilience/clock';

export interface SentRequest extends TransportRequest {
  at: number;
}

export type Responder = (
  request: SentRequest,
  index: number,
) => TransportResponse | Promise<TransportResponse>;

/** In-memory transport: records what was sent (and when, on the injected clock) and answers by script. */
export class ScriptedTransport extends GraphTransport {
  readonly sent: SentRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly respond: Responder,
  ) {
    super();
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    await request.beforeSend?.();
    const sent = { ...request, at: this.clock.now() };
    this.sent.push(sent);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.respond(sent, this.sent.length - 1);
    } finally {
      this.inFlight--;
    }
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function graphError(
  status: number,
  code: string,
  headers: Record<string, string> = {},
): TransportResponse {
  return json(
    status,
    {
      error: {
        code,
        message: `${code} happened`,
        innerError: { 'request-id': `req-${code}`, date: '2026-01-01T00:00:00' },
      },
    },
    headers,
  );
}
