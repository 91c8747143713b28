import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { JSON_BODY_LIMIT_BYTES } from '../../apps/api/src/core/http/json-body.middleware';
import { buildOpenApiDocument } from '../../apps/api/src/openapi';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

/**
 * Every operation of the OpenAPI document, with the portal served (its static hosting active),
 * receives bodies that are broken in every way a client or a prober can break them. The answer
 * must always come from the API: never a 404 for a route that exists, never a 5xx, always the
 * error body `{ statusCode, code, message, correlationId }`; body-level faults get their own
 * status before anything else looks at the request.
 */
interface Fault {
  readonly name: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly body: string | Buffer;
  /** The status and code the fault must get, whatever the route. */
  readonly expected?: { readonly status: number; readonly code?: string };
}

const LIMIT_BYTES = JSON_BODY_LIMIT_BYTES;

const FAULTS: readonly Fault[] = [
  {
    name: 'malformed JSON',
    contentType: 'application/json',
    body: '{"tenantId": ',
    expected: { status: 400, code: 'MALFORMED_JSON' },
  },
  {
    name: 'JSON that is not an object',
    contentType: 'application/json',
    body: '"just a string"',
  },
  {
    name: 'a text body',
    contentType: 'text/plain',
    body: 'tenantId=x',
    expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'a form body',
    contentType: 'application/x-www-form-urlencoded',
    body: 'tenantId=x&displayName=y',
    expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'a body without a content type',
    body: Buffer.from('{"a":1}'),
    expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'an unsupported content encoding',
    contentType: 'application/json',
    contentEncoding: 'compress',
    body: '{}',
    expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'an unsupported charset',
    contentType: 'application/json; charset=latin1',
    body: '{}',
    expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'gzip that is not gzip',
    contentType: 'application/json',
    contentEncoding: 'gzip',
    body: Buffer.from('definitely not gzip'),
    expected: { status: 400, code: 'BAD_REQUEST' },
  },
  {
    name: 'gzip of malformed JSON',
    contentType: 'application/json',
    contentEncoding: 'gzip',
    body: gzipSync('{"a":'),
    expected: { status: 400 },
  },
  {
    name: 'invalid UTF-8',
    contentType: 'application/json',
    body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
  },
];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000001';

describe('HTTP fuzzing of every API operation with the portal served (e2e)', () => {
  let portalDir: string;
  let testApp: TestApp;
  let baseUrl: string;
  let document: OpenAPIObject;

  beforeAll(async () => {
    portalDir = await mkdtemp(join(tmpdir(), 'entra-backup-portal-'));
    await writeFile(
      join(portalDir, 'index.html'),
      '<!doctype html><html><body><eb-root></eb-root></body></html>',
    );
    testApp = await startTestApp({ ENTRA_BACKUP_PORTAL_DIR: portalDir });
    // One listening socket for the whole run (supertest would open one per request otherwise).
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = await testApp.app.getUrl();
    document = buildOpenApiDocument(testApp.app, 'test');
  });

  afterAll(async () => {
    await testApp.close();
    await rm(portalDir, { recursive: true, force: true });
  });

  it('serves the portal while fuzzing', async () => {
    const res = await request(baseUrl).get('/some/deep/link').expect(200);
    expect(res.text).toContain('<eb-root>');
  });

  it('answers every fault on every operation with the error body, never a 404 or a 5xx', async () => {
    const ops = operations(document);
    expect(ops.length).toBeGreaterThan(50);
    const failures: string[] = [];
    for (const [index, { method, path }] of ops.entries()) {
      // Half of the operations are called under the versioned prefix, which is rewritten first.
      const prefix = index % 2 === 0 ? '/api' : '/api/v1';
      {
        for (const fault of FAULTS) {
          const url = `${prefix}${concretePath(path)}`;
          let call = request(baseUrl)[method](url);
          if (fault.contentType !== undefined) call = call.set('content-type', fault.contentType);
          if (fault.contentEncoding !== undefined) call = call.set('content-encoding', fault.contentEncoding);
          const res = await call.send(fault.body);
          const problem = checkAnswer(res.status, res.body as unknown, fault);
          if (problem !== undefined)
            failures.push(`${method.toUpperCase()} ${url} with ${fault.name}: ${problem}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a body declared larger than the limit on every operation with 413, before reading it', async () => {
    const failures: string[] = [];
    for (const { method, path } of operations(document)) {
      const url = `${baseUrl}/api${concretePath(path)}`;
      const { status, body } = await sendDeclaredOversize(method, url, LIMIT_BYTES + 1);
      const problem = checkAnswer(status, body, {
        name: 'a body over the limit',
        body: '',
        expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
      });
      if (problem !== undefined) failures.push(`${method.toUpperCase()} ${url}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a streamed body that grows past the limit with 413', async () => {
    const oversized = Buffer.alloc(LIMIT_BYTES + 1, 0x20);
    oversized.write('{"displayName":"', 0);
    const res = await request(baseUrl)
      .post('/api/tenants')
      .set('content-type', 'application/json')
      .send(oversized);
    expect(
      checkAnswer(res.status, res.body as unknown, {
        name: 'a body over the limit',
        body: '',
        expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
      }),
    ).toBeUndefined();
  });
});

/**
 * A request whose Content-Length is over the limit, of which only a few bytes are sent: the server
 * must answer from the declared length alone (sending the megabyte for each of the operations
 * would make the test slow without testing more).
 */
function sendDeclaredOversize(
  method: string,
  url: string,
  length: number,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: method.toUpperCase(),
        headers: { 'content-type': 'application/json', 'content-length': length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          req.destroy();
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: checkAnswer reports it.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.write('{"a":');
  });
}

function checkAnswer(status: number, body: unknown, fault: Fault): string | undefined {
  const seen = `${status} ${JSON.stringify(body)}`;
  const code = (body as { code?: unknown } | null)?.code;
  // The router's 404 (`NOT_FOUND`, "Cannot POST ...") means the request never reached its route; a
  // route's own answer about a missing record (e.g. `ONBOARDING_LINK_NOT_FOUND`) is fine.
  if (status === 404 && (code === 'NOT_FOUND' || fault.expected !== undefined)) {
    return `404 for a route that exists: ${seen}`;
  }
  // Sign-in answers 503 on purpose while it is not configured (no app credentials in this test).
  if (status >= 500 && !(status === 503 && code === 'SIGN_IN_NOT_CONFIGURED')) {
    return `server error: ${seen}`;
  }
  // A public route may well accept a body it ignores; a body-level fault never gets that far.
  if (status < 400) return fault.expected === undefined ? undefined : `accepted: ${seen}`;
  const error = body as Partial<Record<string, unknown>>;
  if (
    typeof body !== 'object' ||
    body === null ||
    error['statusCode'] !== status ||
    typeof error['code'] !== 'string' ||
    typeof error['message'] !== 'string' ||
    typeof error['correlationId'] !== 'string' ||
    Object.keys(body).length !== 4
  ) {
    return `not the error body: ${seen}`;
  }
  const expected = fault.expected;
  if (expected === undefined || status !== expected.status) {
    return expected === undefined ? undefined : `expected ${expected.status}, got ${seen}`;
  }
  if (expected.code !== undefined && error['code'] !== expected.code) {
    return `expected ${expected.status} ${expected.code}, got ${seen}`;
  }
  return undefined;
}

function operations(document: OpenAPIObject): Array<{ method: (typeof METHODS)[number]; path: string }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Record<string, unknown>)[method] !== undefined).map((method) => ({
      method,
      // The document's paths carry the global prefix; the test adds `/api` or `/api/v1`.
      path: path.replace(/^\/api(?=\/)/, ''),
    })),
  );
}

function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'snapshot') return 'latest';
    if (name === 'type' || name === 'collection') return 'users';
    if (name === 'upn') return 'nobody%40example.com';
    if (name === 'token') return 'no-such-token';
    return PLACEHOLDER_ID;
  });
}
