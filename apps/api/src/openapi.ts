import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('entra-backup API')
    .setDescription(
      'Back up and restore Microsoft Entra ID tenants. Errors share one body: ' +
        '`{ statusCode, code, message, correlationId }`; send `x-correlation-id` to choose the id.',
    )
    .setVersion(version)
    .build();
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
}

/** Swagger UI at `/api/docs`, the document at `/api/docs-json`. */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, buildOpenApiDocument(app, version), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
}
