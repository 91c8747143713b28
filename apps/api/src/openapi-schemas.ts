import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  MediaTypeObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The document's OpenAPI version. Its schemas speak 3.0: `nullable: true` rather than a `"null"` type,
 * one `type` per schema, `enum` rather than `const`, boolean `exclusiveMinimum`/`exclusiveMaximum`.
 * 3.0 rather than 3.1 because more client generators read it well.
 */
const OPENAPI_VERSION = '3.0.3';

type Json = Record<string, unknown>;

/** What swagger calls on a model class to read its properties (nestjs-zod implements it for its DTOs). */
const METADATA_FACTORY = '_OPENAPI_METADATA_FACTORY';
const EXPANDED = Symbol('openapi.typeShorthandExpanded');

interface ZodDtoClass {
  readonly isZodDto: true;
  readonly schema: unknown;
  readonly name: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/**
 * zod >= 4.5 writes a union of bare types, such as `z.string().nullable()`, as `type: ["string", "null"]`
 * instead of `anyOf: [{ type: "string" }, { type: "null" }]`. nestjs-zod 5.5 hands a DTO property's
 * schema to swagger as it is, and swagger reads an array `type` as "an array of the first type", so
 * a nullable string became `{ type: "array", items: { type: "string" } }` (nestjs-zod#473, #474).
 *
 * Before the document is built, this wraps the metadata factory of every zod DTO the application's
 * controllers use, so that each property swagger reads is spelt as zod < 4.5 did: a type array becomes
 * an `anyOf` of its types (without a `type`, which nestjs-zod's `cleanupOpenApiDoc` then drops, as
 * for any union). {@link toOpenApi30} turns those into 3.0's `nullable` afterwards. Idempotent; a no-op
 * for output that has no type arrays. Must run before swagger first reads the DTOs: swagger keeps the
 * properties it read on the class.
 */
export function expandZodTypeShorthand(app: INestApplication): void {
  for (const dto of zodDtoClasses(app)) wrapMetadataFactory(dto);
}

/**
 * The zod DTO classes referenced by the metadata of the application's controllers and handlers
 * (parameter types, `@ApiOkResponse({ type })`, `@ApiBody({ type })`, ...). A DTO named only through a
 * thunk (`type: () => Dto`) is not found; test/api/openapi.e2e.ts checks every component.
 */
function zodDtoClasses(app: INestApplication): Set<ZodDtoClass> {
  const found = new Set<ZodDtoClass>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) {
      return;
    }
    seen.add(value);
    if (typeof value === 'function') {
      if (isZodDtoClass(value)) found.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      // Plain metadata records, e.g. `@ApiOkResponse({ type })` or `@ApiBody({ type })`.
      Object.values(value).forEach(visit);
    }
  };
  const visitMetadata = (target: object, key?: string): void => {
    const keys = key === undefined ? Reflect.getMetadataKeys(target) : Reflect.getMetadataKeys(target, key);
    for (const metadataKey of keys) {
      visit(
        key === undefined
          ? Reflect.getMetadata(metadataKey, target)
          : Reflect.getMetadata(metadataKey, target, key),
      );
    }
  };
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      visitMetadata(metatype);
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        if (name === 'constructor') continue;
        visitMetadata(prototype, name);
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (typeof handler === 'function') visitMetadata(handler);
      }
    }
  }
  return found;
}

function isZodDtoClass(value: unknown): value is ZodDtoClass {
  return typeof value === 'function' && (value as { isZodDto?: unknown }).isZodDto === true;
}

/** Wraps the factory where it is defined: the base class `createZodDto` made, shared by its subclasses. */
function wrapMetadataFactory(dto: ZodDtoClass): void {
  let owner: object | null = dto;
  while (owner !== null && !Object.hasOwn(owner, METADATA_FACTORY)) owner = Object.getPrototypeOf(owner);
  if (owner === null || Object.hasOwn(owner, EXPANDED)) return;
  const factory = (owner as Record<string, unknown>)[METADATA_FACTORY];
  if (typeof factory !== 'function') return;
  Object.defineProperty(owner, METADATA_FACTORY, {
    configurable: true,
    writable: true,
    value: function expandedMetadataFactory(this: unknown): unknown {
      const properties: unknown = factory.call(this);
      if (!isJson(properties)) return properties;
      return Object.fromEntries(
        Object.entries(properties).map(([key, property]) => [key, expandTypeArray(property)]),
      );
    },
  });
  Object.defineProperty(owner, EXPANDED, { value: true });
}

/**
 * `{ type: ["string", "null"], ...rest }` becomes
 * `{ ...rest, type: "", anyOf: [{ type: "string" }, { type: "null" }] }`, with the empty type
 * nestjs-zod gives every property without one (cleanupOpenApiDoc removes it).
 */
function expandTypeArray(property: unknown): unknown {
  if (!isJson(property) || !Array.isArray(property.type)) return property;
  const { type, ...rest } = property;
  return { ...rest, type: '', anyOf: (type as unknown[]).map((member) => ({ type: member })) };
}

/**
 * Makes every schema of the document (components, parameters, bodies, answers, headers) OpenAPI 3.0,
 * and declares that version: type arrays and `"null"` members of `anyOf`/`oneOf` become
 * `nullable: true` (and `null` joins an `enum`), `const` becomes a one-value `enum`, numeric exclusive
 * bounds become boolean ones, and JSON Schema keywords 3.0 lacks (`$schema`, `propertyNames`) go.
 * zod's JSON Schema and nestjs-zod's conversion leave some of these behind, e.g. nested nullable
 * fields as `type: ["string", "null"]`, or the inline schemas of the progress streams.
 */
export function toOpenApi30(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas;
  if (schemas !== undefined) {
    for (const [name, schema] of Object.entries(schemas)) schemas[name] = normalize(schema);
  }
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation !== undefined) normalizeOperation(operation);
    }
  }
  document.openapi = OPENAPI_VERSION;
  return document;
}

function normalizeOperation(operation: OperationObject): void {
  for (const parameter of operation.parameters ?? []) {
    if ('schema' in parameter && parameter.schema !== undefined) {
      (parameter as ParameterObject).schema = normalize(parameter.schema);
    }
  }
  const body = operation.requestBody;
  if (body !== undefined && 'content' in body) normalizeContent(body.content);
  for (const response of Object.values(operation.responses)) {
    if (response === undefined || !('description' in response)) continue;
    normalizeContent((response as ResponseObject).content);
    for (const header of Object.values((response as ResponseObject).headers ?? {})) {
      if ('schema' in header && header.schema !== undefined) header.schema = normalize(header.schema);
    }
  }
}

function normalizeContent(content: Record<string, MediaTypeObject> | undefined): void {
  for (const media of Object.values(content ?? {})) {
    if (media.schema !== undefined) media.schema = normalize(media.schema);
  }
}

function normalize<T extends SchemaObject | ReferenceObject>(schema: T): T {
  return normalizeSchema(schema) as T;
}

function normalizeSchema(schema: unknown): unknown {
  if (!isJson(schema) || typeof schema.$ref === 'string') return schema;
  let s: Json = { ...schema };
  // Subschemas first, so a member folded into its parent below is already 3.0.
  if (isJson(s.properties)) {
    s.properties = Object.fromEntries(
      Object.entries(s.properties).map(([key, value]) => [key, normalizeSchema(value)]),
    );
  }
  if (s.items !== undefined) {
    s.items = Array.isArray(s.items) ? s.items.map(normalizeSchema) : normalizeSchema(s.items);
  }
  if (isJson(s.additionalProperties)) s.additionalProperties = normalizeSchema(s.additionalProperties);
  if (s.not !== undefined) s.not = normalizeSchema(s.not);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = s[key];
    if (Array.isArray(members)) s[key] = members.map(normalizeSchema);
  }

  // nestjs-zod's placeholder for a property without a type, should one be left.
  if (s.type === '') delete s.type;
  if (Array.isArray(s.type)) {
    const types = s.type.filter((type) => type !== 'null');
    if (types.length < s.type.length) s.nullable = true;
    if (types.length === 1) {
      s.type = types[0];
    } else {
      delete s.type;
      if (types.length > 1) s.anyOf = types.map((type: unknown) => ({ type }));
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = s[key];
    if (!Array.isArray(members) || !members.some(isNullType)) continue;
    const others = members.filter((member) => !isNullType(member));
    delete s[key];
    s.nullable = true;
    const [only] = others;
    if (others.length === 1 && isJson(only) && s.type === undefined) {
      // A lone `$ref` cannot carry `nullable` beside it (siblings of `$ref` are ignored).
      s = typeof only.$ref === 'string' ? { ...s, allOf: [only] } : { ...only, ...s };
    } else if (others.length > 0) {
      s[key] = others;
    }
  }
  if (s.nullable === true && Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  if ('const' in s) {
    s.enum = [s.const];
    delete s.const;
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const value = s[exclusive];
    if (typeof value === 'number') {
      s[bound] = value;
      s[exclusive] = true;
    }
  }
  // A 3.0 schema has one `example`; zod's `.meta({ examples })` gives a 2020-12 list.
  if (Array.isArray(s.examples)) {
    if (s.example === undefined && s.examples.length > 0) s.example = s.examples[0];
    delete s.examples;
  }
  delete s.$schema;
  delete s.propertyNames;
  return s;
}

function isNullType(schema: unknown): boolean {
  return isJson(schema) && schema.type === 'null';
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
