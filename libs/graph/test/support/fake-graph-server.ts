import { constants, createPublicKey, verify } from 'node:crypto';
import { createServer, Server } from 'node:https';
import { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Clock } from '../../src/resilience/clock';
import { TestPki } from './test-pki';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Virtual time of arrival. */
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type GraphHandler = (request: RecordedRequest) => Reply | 'drop' | Promise<Reply | 'drop'>;

export const CLIENT_ID = '6d0c6f1e-0000-4000-8000-00000000c1d0';
export const CLIENT_SECRET = 'test-client-secret-value';

/**
 * A local HTTPS server playing Microsoft Graph on https://127.0.0.1:<port> and the identity platform on
 * https://localhost:<port> (OpenID configuration and the client-credentials token endpoint).
 */
export class FakeGraphServer {
  readonly graphRequests: RecordedRequest[] = [];
  readonly tokenRequests: Array<Record<string, string>> = [];
  readonly issuedTokens: string[] = [];
  roles: string[] = ['User.Read.All', 'Group.Read.All'];
  tokenLifetimeSeconds = 3599;
  /** Public key that client assertions must be signed with (certificate credential). */
  clientCertificate: { publicKeyPem: string; thumbprintSha256: string } | undefined;
  handler: GraphHandler = () => ({
    status: 404,
    body: graphErrorBody('Request_ResourceNotFound', 'not found'),
  });
  inFlight = 0;
  maxInFlight = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly clock: Clock,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(pki: TestPki, clock: Clock): Promise<FakeGraphServer> {
    const holder: { instance?: FakeGraphServer } = {};
    const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
      void holder.instance!.dispatch(req, res);
    });
    const instance = new FakeGraphServer(server, clock);
    holder.instance = instance;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get graphBaseUrl(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get loginBaseUrl(): string {
    return `https://localhost:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: this.clock.now(),
    };
    const host = (req.headers.host ?? '').split(':')[0];
    if (host === 'localhost') return this.identity(request, res);
    this.graphRequests.push(request);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.issuedTokens.includes(auth.slice(7))) {
      return send(res, {
        status: 401,
        body: graphErrorBody('InvalidAuthenticationToken', 'Access token is empty or invalid.'),
      });
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const reply = await this.handler(request);
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      send(res, {
        ...reply,
        headers: {
          'request-id': `srv-${this.graphRequests.length}`,
          'client-request-id': String(req.headers['client-request-id'] ?? ''),
          ...reply.headers,
        },
      });
    } finally {
      this.inFlight--;
    }
  }

  private identity(request: RecordedRequest, res: ServerResponse): void {
    // msal appends telemetry query parameters (x-client-SKU, ...) to identity platform URLs.
    const path = request.url.split('?')[0]!;
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (request.method === 'GET' && discovery) {
      const tenant = discovery[1]!;
      const base = `${this.loginBaseUrl}/${tenant}`;
      return send(res, {
        status: 200,
        body: {
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${this.loginBaseUrl}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
        },
      });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (request.method === 'POST' && token) {
      const form = Object.fromEntries(new URLSearchParams(request.body));
      this.tokenRequests.push(form);
      const problem = this.checkClient(form, `${this.loginBaseUrl}/${token[1]!}/oauth2/v2.0/token`);
      if (problem) {
        return send(res, {
          status: 401,
          body: { error: 'invalid_client', error_description: problem, error_codes: [7000215] },
        });
      }
      const now = Math.floor(this.clock.now() / 1000);
      const claims = {
        aud: 'https://graph.microsoft.com',
        tid: token[1],
        roles: this.roles,
        iat: now,
        exp: now + this.tokenLifetimeSeconds,
        n: this.issuedTokens.length,
      };
      const accessToken = [{ typ: 'JWT', alg: 'RS256' }, claims, 'sig']
        .map((part) =>
          typeof part === 'string' ? part : Buffer.from(JSON.stringify(part)).toString('base64url'),
        )
        .join('.');
      this.issuedTokens.push(accessToken);
      return send(res, {
        status: 200,
        body: {
          token_type: 'Bearer',
          expires_in: this.tokenLifetimeSeconds,
          ext_expires_in: this.tokenLifetimeSeconds,
          access_token: accessToken,
        },
      });
    }
    send(res, { status: 404, body: { error: 'not_found' } });
  }

  private checkClient(form: Record<string, string>, audience: string): string | undefined {
    if (form['grant_type'] !== 'client_credentials')
      return `AADSTS70003: unsupported grant_type ${form['grant_type']}`;
    if (form['client_id'] !== CLIENT_ID) return 'AADSTS700016: unknown client_id';
    if (form['scope'] !== 'https://graph.microsoft.com/.default')
      return `AADSTS70011: invalid scope ${form['scope']}`;
    if (!this.clientCertificate)
      return form['client_secret'] === CLIENT_SECRET
        ? undefined
        : 'AADSTS7000215: Invalid client secret provided.';
    if (form['client_assertion_type'] !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return 'AADSTS700025: no client assertion';
    const [header, payload, signature] = (form['client_assertion'] ?? '').split('.');
    const parsedHeader = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as Record<
      string,
      string
    >;
    const parsedPayload = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    if (
      parsedHeader['x5t#S256'] !==
      Buffer.from(this.clientCertificate.thumbprintSha256, 'hex').toString('base64url')
    ) {
      return 'AADSTS700027: certificate thumbprint does not match';
    }
    if (parsedPayload['aud'] !== audience || parsedPayload['iss'] !== CLIENT_ID)
      return 'AADSTS700024: bad assertion claims';
    const key = createPublicKey(this.clientCertificate.publicKeyPem);
    const pss = parsedHeader['alg'] === 'PS256';
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
        : key,
      Buffer.from(signature ?? '', 'base64url'),
    );
    return valid ? undefined : 'AADSTS700027: client assertion signature is invalid';
  }
}

export function graphErrorBody(code: string, message: string, requestId = 'err-request-id'): unknown {
  return {
    error: {
      code,
      message,
      innerError: { 'request-id': requestId, date: '2026-01-01T00:00:00', 'client-request-id': 'cr' },
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const body =
    reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(reply.body === undefined || typeof reply.body === 'string'
      ? {}
      : { 'content-type': 'application/json' }),
    ...reply.headers,
  });
  res.end(body);
}
