import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiOkResponse, type OpenAPIObject } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { buildOpenApiDocument } from './openapi';
import { toOpenApi30 } from './openapi-schemas';

const tagSchema = z.object({ label: z.string().nullable() }).meta({ id: 'Tag' });

class ProbeBodyDto extends createZodDto(
  z.object({
    note: z
      .string()
      .nullable()
      .meta({ description: 'A note', examples: ['hello'] }),
    size: z.union([z.string(), z.number()]),
    either: z.union([z.string(), z.boolean()]).nullable(),
    count: z.int().positive().nullable().optional(),
    level: z.enum(['low', 'high']).nullable(),
    nested: z.object({ at: z.string().nullable() }),
    tag: tagSchema.nullable(),
  }),
) {}

class ProbeQueryDto extends createZodDto(
  z.object({ limit: z.union([z.string(), z.number()]).optional(), q: z.string().optional() }),
) {}

@Controller('probe')
class ProbeController {
  @Post()
  @ApiOkResponse({ type: ProbeBodyDto })
  create(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Get()
  list(@Query() query: ProbeQueryDto): ProbeQueryDto {
    return query;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('OpenAPI schemas of zod DTOs', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const app = await NestFactory.create(ProbeModule, { logger: false });
    try {
      document = buildOpenApiDocument(app, 'test');
    } finally {
      await app.close();
    }
  });

  it('spells top-level nullable and union fields as 3.0 schemas, not as arrays', () => {
    const body = document.components?.schemas?.['ProbeBodyDto'];
    expect(body).toEqual({
      type: 'object',
      properties: {
        note: { type: 'string', nullable: true, description: 'A note', example: 'hello' },
        size: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        either: { anyOf: [{ type: 'string' }, { type: 'boolean' }], nullable: true },
        count: {
          type: 'integer',
          nullable: true,
          minimum: 0,
          exclusiveMinimum: true,
          maximum: Number.MAX_SAFE_INTEGER,
        },
        level: { type: 'string', enum: ['low', 'high', null], nullable: true },
        nested: {
          type: 'object',
          properties: { at: { type: 'string', nullable: true } },
          required: ['at'],
        },
        tag: { allOf: [{ $ref: '#/components/schemas/Tag' }], nullable: true },
      },
      required: ['note', 'size', 'either', 'level', 'nested', 'tag'],
    });
    expect(document.components?.schemas?.['Tag']).toEqual({
      type: 'object',
      properties: { label: { type: 'string', nullable: true } },
      required: ['label'],
    });
  });

  it('spells a union query parameter as a union, not as an array', () => {
    const parameters = document.paths['/probe']?.get?.parameters;
    expect(parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
      { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
    ]);
  });
});

describe(toOpenApi30.name, () => {
  function documentWith(schema: Record<string, unknown>): OpenAPIObject {
    return {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          get: {
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema } } },
            },
          },
        },
      },
    };
  }

  function answered(document: OpenAPIObject): unknown {
    const response = toOpenApi30(document).paths['/x']?.get?.responses['200'];
    return response !== undefined && 'content' in response
      ? response.content?.['application/json']?.schema
      : undefined;
  }

  it('rewrites JSON Schema 2020-12 as written by zod into OpenAPI 3.0, in inline schemas too', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { type: 'string', const: 'done' },
            id: { type: ['string', 'null'] },
            counts: {
              type: 'object',
              propertyNames: { type: 'string' },
              additionalProperties: { type: 'integer', exclusiveMinimum: 0 },
            },
            values: { type: 'array', items: { type: ['string', 'number', 'null'] } },
            link: { anyOf: [{ $ref: '#/components/schemas/Link' }, { type: 'null' }] },
          },
        },
      ],
    };

    expect(answered(documentWith(schema))).toEqual({
      oneOf: [
        {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ['done'] },
            id: { type: 'string', nullable: true },
            counts: {
              type: 'object',
              additionalProperties: { type: 'integer', minimum: 0, exclusiveMinimum: true },
            },
            values: {
              type: 'array',
              items: { anyOf: [{ type: 'string' }, { type: 'number' }], nullable: true },
            },
            link: { allOf: [{ $ref: '#/components/schemas/Link' }], nullable: true },
          },
        },
      ],
    });
  });

  it('declares the 3.0 version its schemas are written in', () => {
    expect(toOpenApi30(documentWith({ type: 'string' })).openapi).toBe('3.0.3');
  });
});
