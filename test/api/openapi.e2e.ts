import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { buildOpenApiDocument } from '../../apps/api/src/openapi';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_PUBLIC_URL } from './support/emulator-app';

// Boots the application (Nest + migrations) once.
jest.setTimeout(60_000);

type Json = Record<string, unknown>;

interface ZodDto {
  readonly name: string;
  readonly schema: z.ZodType;
}

const API_SOURCES = join(__dirname, '../../apps/api/src');
/** The types a 3.0 Schema Object may name (one of them, never a list, never "null"). */
const OPENAPI_30_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'];
/** JSON Schema keywords of zod's output that OpenAPI 3.0 does not have. */
const NOT_OPENAPI_30 = ['const', '$schema', '$defs', 'propertyNames', 'prefixItems', 'unevaluatedProperties'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every zod DTO class exported by the API's sources, found by reading them (not through the app). */
async function exportedZodDtos(): Promise<ZodDto[]> {
  const files = (await readdir(API_SOURCES, { recursive: true }))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.includes('/test/'))
    .map((file) => join(API_SOURCES, file));
  const dtos: ZodDto[] = [];
  for (const file of files) {
    if (!(await readFile(file, 'utf8')).includes('createZodDto(')) continue;
    const exports = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (typeof value === 'function' && (value as { isZodDto?: unknown }).isZodDto === true) {
        dtos.push(value as unknown as ZodDto);
      }
    }
  }
  if (dtos.length === 0) throw new Error(`no zod DTOs under ${relative(process.cwd(), API_SOURCES)}`);
  return dtos;
}

/**
 * What a client generator reads from a schema: its type, whether null is allowed, which properties
 * are required, and the same of its members. Annotations (descriptions, examples, patterns) aside.
 */
function shape(schema: unknown): unknown {
  if (!isJson(schema)) return schema;
  if (typeof schema.$ref === 'string') return { $ref: schema.$ref };
  // A union with null is a nullable union, however spelt (zod's 3.0 output: a member `enum: [null]`).
  let nullable = schema.nullable === true;
  const members = (key: string) => {
    const list = schema[key];
    if (!Array.isArray(list)) return undefined;
    nullable ||= list.some(isNullOnly);
    return list.filter((member) => !isNullOnly(member)).map(shape);
  };
  const [allOf, anyOf, oneOf] = [members('allOf'), members('anyOf'), members('oneOf')];
  return prune({
    type: schema.type,
    nullable,
    // 3.0.3: a nullable enum lists null among its values; zod's 3.0 output leaves it out.
    enum: Array.isArray(schema.enum) ? schema.enum.filter((value) => value !== null) : undefined,
    items: schema.items === undefined ? undefined : shape(schema.items),
    properties: isJson(schema.properties)
      ? Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, shape(value)]))
      : undefined,
    required: Array.isArray(schema.required) ? [...(schema.required as string[])].sort() : undefined,
    additionalProperties: isJson(schema.additionalProperties)
      ? shape(schema.additionalProperties)
      : schema.additionalProperties,
    allOf,
    anyOf,
    oneOf,
  });
}

function isNullOnly(schema: unknown): boolean {
  return (
    isJson(schema) &&
    (schema.type === 'null' ||
      (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null))
  );
}

function prune(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Calls `visit` with every schema of the document, nested ones included, and where it is. */
function forEachSchema(document: OpenAPIObject, visit: (schema: Json, at: string) => void): void {
  const walk = (schema: unknown, at: string): void => {
    if (!isJson(schema) || typeof schema.$ref === 'string') return;
    visit(schema, at);
    for (const [key, value] of Object.entries(isJson(schema.properties) ? schema.properties : {})) {
      walk(value, `${at}.properties.${key}`);
    }
    walk(schema.items, `${at}.items`);
    walk(schema.additionalProperties, `${at}.additionalProperties`);
    walk(schema.not, `${at}.not`);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((member, i) => walk(member, `${at}.${key}.${i}`));
    }
  };
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    walk(schema, `#/components/schemas/${name}`);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown>)[method];
      if (!isJson(operation)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        walk(parameter.schema, `${at} parameter ${String(parameter.name)}`);
      }
      const content = (owner: unknown, where: string) => {
        const media = isJson(owner) && isJson(owner.content) ? owner.content : {};
        for (const [type, value] of Object.entries(media)) {
          walk(isJson(value) ? value.schema : undefined, `${where} ${type}`);
        }
      };
      content(operation.requestBody, `${at} body`);
      for (const [status, response] of Object.entries(
        isJson(operation.responses) ? operation.responses : {},
      )) {
        content(response, `${at} ${status}`);
        const headers = isJson(response) && isJson(response.headers) ? response.headers : {};
        for (const [name, header] of Object.entries(headers)) {
          walk(isJson(header) ? header.schema : undefined, `${at} ${status} header ${name}`);
        }
      }
    }
  }
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('OpenAPI document (e2e)', () => {
  let dataDir: string;
  let document: OpenAPIObject;
  let schemas: Record<string, Json>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-openapi-'));
    const app = await createApp(
      loadAppConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        ENTRA_BACKUP_DATA_DIR: dataDir,
        ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
        AZURE_CLIENT_ID: TEST_CLIENT_ID,
        AZURE_CLIENT_SECRET: TEST_CLIENT_SECRET,
        ENTRA_BACKUP_PUBLIC_URL: TEST_PUBLIC_URL,
      }),
    );
    try {
      document = buildOpenApiDocument(app, 'test');
    } finally {
      await app.close();
    }
    schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('marks nullable fields the OpenAPI 3.0 way, and declares 3.0', () => {
    expect(schemas['ApiKeyDto']?.['properties']).toMatchObject({
      expiresAt: { type: 'string', nullable: true },
      lastUsedAt: { type: 'string', nullable: true },
      tenantIds: { type: 'array', items: { type: 'string' }, nullable: true },
      keyId: { type: 'string' },
    });
    expect(schemas['ApiKeyDto']?.['required']).toEqual(expect.arrayContaining(['expiresAt', 'keyId']));
    expect(schemas['ApiKeyDto']?.['example']).toEqual(expect.objectContaining({ prefix: 'eb_k3x9q2mz' }));
    expect(document.openapi).toBe('3.0.3');
  });

  it("answers a page's nextCursor as a nullable string, keeping its description", () => {
    for (const page of ['ApiKeyPageDto', 'TenantPageDto', 'BackupRunPageDto', 'PartnerTenantPageDto']) {
      const properties = schemas[page]?.['properties'] as Record<string, Json> | undefined;
      expect({ page, nextCursor: properties?.['nextCursor'] }).toEqual({
        page,
        nextCursor: expect.objectContaining({ type: 'string', nullable: true }),
      });
    }
    expect(
      (schemas['ApiKeyPageDto']?.['properties'] as Record<string, Json>)['nextCursor']?.['description'],
    ).toContain('null on the last page');
  });

  it('gives every component the types, nullability and required fields of its zod schema', async () => {
    const dtos = await exportedZodDtos();
    const byName = new Map(dtos.map((dto) => [z.globalRegistry.get(dto.schema)?.id ?? dto.name, dto]));
    // Every component comes from a zod DTO, so none escapes the comparison below.
    expect(Object.keys(schemas).filter((name) => !byName.has(name))).toEqual([]);
    for (const [name, component] of Object.entries(schemas)) {
      const dto = byName.get(name);
      if (dto === undefined) continue;
      const expected = z.toJSONSchema(dto.schema, { target: 'openapi-3.0', io: 'input' });
      expect({ name, shape: shape(component) }).toEqual({ name, shape: shape(expected) });
    }
    expect(Object.keys(schemas).length).toBeGreaterThan(40);
  });

  it('uses only OpenAPI 3.0 schema keywords, everywhere in the document', () => {
    const problems: string[] = [];
    let visited = 0;
    forEachSchema(document, (schema, at) => {
      visited += 1;
      if ('type' in schema && !OPENAPI_30_TYPES.includes(schema.type as string)) {
        problems.push(`${at}: type ${JSON.stringify(schema.type)}`);
      }
      for (const keyword of NOT_OPENAPI_30) {
        if (keyword in schema) problems.push(`${at}: ${keyword}`);
      }
      for (const bound of ['exclusiveMinimum', 'exclusiveMaximum']) {
        if (bound in schema && typeof schema[bound] !== 'boolean') problems.push(`${at}: numeric ${bound}`);
      }
      if ((schema.anyOf ?? schema.oneOf) !== undefined && 'type' in schema) {
        problems.push(`${at}: type beside anyOf/oneOf`);
      }
      for (const key of Object.keys(schema)) {
        if (key.startsWith('x-nestjs_zod')) problems.push(`${at}: ${key}`);
      }
    });
    expect(problems).toEqual([]);
    expect(visited).toBeGreaterThan(500);
  });
});
