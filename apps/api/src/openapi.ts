import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { API_KEY_SCOPE_PERMISSIONS, API_KEY_SCOPES, IDEMPOTENCY_KEY_HEADER } from '@entra-backup/common';
import { OPENAPI_PERMISSION_EXTENSION } from './modules/auth/access.decorator';
import { SESSION_COOKIE } from './modules/auth/session.middleware';
import { expandZodTypeShorthand, toOpenApi30 } from './openapi-schemas';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/** Names of the security schemes in the document. */
export const BEARER_SCHEME = 'apiKey';
export const SESSION_SCHEME = 'session';

const DESCRIPTION = `Back up and restore Microsoft Entra ID tenants.

## Versions and stability
Every path below is served under \`/api/v1/...\` as well as \`/api/...\` (replace the leading \`/api\`
with \`/api/v1\`). Scripts should use \`/api/v1\`: within v1, routes, parameters and answers only change in
backwards-compatible ways (new routes, new optional parameters, new fields in answers, new error codes);
anything else gets a new version beside it. \`/api\` without a version is the portal's and follows the
newest version.

## Authentication
- **API keys** (scripts, a reseller's tooling): \`Authorization: Bearer eb_<prefix>_<secret>\`. Keys are
  created by a tenant's admins (for their tenant) or a partner's Owners and Admins (for the partner's
  customer tenants, or some of them) and carry scopes: ${API_KEY_SCOPES.map(
    (s) => `\`${s}\` (${API_KEY_SCOPE_PERMISSIONS[s].join(', ')})`,
  ).join(', ')}. A key never manages keys. A revoked or expired key is refused (401 API_KEY_INVALID) from
  its next request on.
- **Session cookie** (the portal): signing in with Microsoft 365 sets \`${SESSION_COOKIE}\`;
  state-changing requests of a session also need \`x-csrf-token\` (from \`GET /api/auth/session\`).

Each operation names the permission it needs (\`x-required-permission\`, and in its description); it is
checked on the tenant the path names (\`{tenantId}\`) or the partner (\`{partnerId}\`).

## Rate limits
Each API key may make a limited number of requests per minute (600 unless the installation says
otherwise, plus a burst allowance). Beyond it: 429 RATE_LIMITED with \`Retry-After\` (seconds). Answers
carry \`RateLimit-Limit\` and \`RateLimit-Remaining\`. One key's limit never slows another key.

## Lists
Every list answers \`nextCursor\`; pass it as \`cursor\` for the next page (same filters and page size),
until it is null. \`page\`/\`pageSize\` work as well. A cursor is opaque and bound to its filters.

## Retries
Triggers and restores accept \`${IDEMPOTENCY_KEY_HEADER}\`: a repeat of the key (same caller, route and body)
within 24 hours returns the first answer and does not do the work again.

## Errors
Errors share one body: \`{ statusCode, code, message, correlationId }\`; send \`x-correlation-id\` to choose
the id.`;

const ERROR_BODY_REF = { $ref: '#/components/schemas/ErrorBodyDto' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('entra-backup API')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'eb_<prefix>_<secret>',
        description: 'An API key: `Authorization: Bearer eb_<8 characters>_<43 characters>`',
      },
      BEARER_SCHEME,
    )
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        name: SESSION_COOKIE,
        description:
          'The portal session (sign in at `/api/auth/login`); state-changing requests also send `x-csrf-token`',
      },
      SESSION_SCHEME,
    )
    .build();
  expandZodTypeShorthand(app);
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config), { version: '3.0' });
  return describeAccess(toOpenApi30(document));
}

/**
 * Per operation: who may call it (security), the permission in its description, and the answers
 * every guarded operation can give (401, 429) and every idempotent one (409, 422).
 */
export function describeAccess(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const permission = (operation as unknown as Record<string, unknown>)[OPENAPI_PERMISSION_EXTENSION];
      if (permission === 'public') {
        operation.security = [];
        appendDescription(operation, '**Access:** public (no credentials needed).');
        continue;
      }
      operation.security = [{ [BEARER_SCHEME]: [] }, { [SESSION_SCHEME]: [] }];
      appendDescription(operation, accessLine(typeof permission === 'string' ? permission : undefined));
      addResponse(
        operation,
        '401',
        'AUTHENTICATION_REQUIRED (no credentials) or API_KEY_INVALID (malformed, unknown, revoked or expired key)',
      );
      addResponse(
        operation,
        '429',
        'RATE_LIMITED: the API key is over its rate limit; retry after `Retry-After` seconds',
        {
          'Retry-After': { description: 'Seconds until the key may send again', schema: { type: 'integer' } },
        },
      );
      const idempotent = (operation.parameters ?? []).some(
        (p) => 'name' in p && p.name.toLowerCase() === IDEMPOTENCY_KEY_HEADER.toLowerCase(),
      );
      if (idempotent) {
        addResponse(
          operation,
          '422',
          'IDEMPOTENCY_KEY_REUSED (the Idempotency-Key was used with another body)',
        );
        addResponse(
          operation,
          '409',
          'IDEMPOTENCY_REQUEST_IN_PROGRESS (the first request with the Idempotency-Key is still running)',
        );
      }
    }
  }
  return document;
}

function accessLine(permission: string | undefined): string {
  if (permission === undefined) return '**Access:** refused (the route declares no access rule).';
  if (permission === 'session') return '**Access:** any signed-in caller or API key.';
  const scopes = API_KEY_SCOPES.filter((s) =>
    (API_KEY_SCOPE_PERMISSIONS[s] as readonly string[]).includes(permission),
  );
  const keys =
    scopes.length === 0
      ? 'not available to API keys'
      : `API key scope ${scopes.map((s) => `\`${s}\``).join(' or ')}`;
  return `**Requires permission:** \`${permission}\` (${keys}).`;
}

function appendDescription(operation: OperationObject, line: string): void {
  operation.description = operation.description === undefined ? line : `${operation.description}\n\n${line}`;
}

/** Adds an error answer, or appends to the description of the one the route already documents. */
function addResponse(
  operation: OperationObject,
  status: string,
  description: string,
  headers?: ResponseObject['headers'],
): void {
  const existing = operation.responses[status] as ResponseObject | undefined;
  if (existing !== undefined && 'description' in existing) {
    if (!existing.description.includes(description.split(' ')[0] ?? description)) {
      existing.description = `${existing.description}; or ${description}`;
    }
    if (headers !== undefined) existing.headers = { ...existing.headers, ...headers };
    return;
  }
  operation.responses[status] = {
    description,
    content: { 'application/json': { schema: ERROR_BODY_REF } },
    ...(headers === undefined ? {} : { headers }),
  };
}

/** Swagger UI at `/api/docs`, the document at `/api/docs-json` (and under `/api/v1`). */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, buildOpenApiDocument(app, version), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
}
