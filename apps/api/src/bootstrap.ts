import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { API_PREFIX, AppModule, portalIsBuilt } from './app.module';
import { AppConfig, describeConfig } from './config/app-config';
import { productVersion } from './config/package-root';
import { correlationIdMiddleware } from './core/correlation/correlation-id.middleware';
import { apiVersionMiddleware } from './core/http/api-version.middleware';
import { jsonBodyMiddleware } from './core/http/json-body.middleware';
import { portalHostingMiddleware } from './core/http/portal-hosting';
import { securityHeadersMiddleware } from './core/http/security-headers';
import { OPENAPI_UI_PATH, setupOpenApi } from './openapi';

/**
 * Builds the fully configured HTTP application without listening, so `main.ts` and the
 * end-to-end tests run exactly the same app.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // `/api/v1/...` is `/api/...`: rewritten before anything routes on the path.
  app.use(apiVersionMiddleware);
  // Correlation id first, so every response, even a 400 for malformed JSON, carries it.
  app.use(correlationIdMiddleware);
  app.use(
    securityHeadersMiddleware({
      publicUrlIsHttps: new URL(config.auth.publicUrl).protocol === 'https:',
      docsPath: OPENAPI_UI_PATH,
    }),
  );
  // Before Nest's routes and middleware; API paths pass through it untouched.
  if (portalIsBuilt(config)) app.use(portalHostingMiddleware(config.portal.dir, API_PREFIX));
  app.use(jsonBodyMiddleware());
  app.disable('x-powered-by');
  app.setGlobalPrefix(API_PREFIX);
  setupOpenApi(app, productVersion());
  if (!portalIsBuilt(config) && config.isProduction) {
    new NestLogger('Portal').warn(`No built portal in ${config.portal.dir}; serving the API only`);
  }
  return app;
}

/**
 * Builds the app and listens. Signals are not handled here: `main.ts` closes the app (and what
 * else it started) on SIGTERM/SIGINT through `stopOnSignals`, and tests close their apps themselves.
 */
export async function startServer(config: AppConfig): Promise<NestExpressApplication> {
  const app = await createApp(config);
  await app.listen(config.http.port);
  new NestLogger('Bootstrap').log(
    { config: describeConfig(config) },
    `Listening on port ${config.http.port}`,
  );
  return app;
}
