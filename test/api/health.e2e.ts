import { errorBodySchema } from '@entra-backup/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app';

describe('health (e2e)', () => {
  let testApp: TestApp;
  let http: App;

  beforeEach(async () => {
    testApp = await startTestApp();
    http = testApp.app.getHttpServer() as App;
  });

  afterEach(async () => {
    await testApp.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE naming the database when it is down', async () => {
    await testApp.app.get(DataSource).destroy();

    const res = await request(http).get('/api/health').set('x-correlation-id', 'hc-1').expect(503);

    expect(errorBodySchema.parse(res.body)).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Unhealthy: database',
      correlationId: 'hc-1',
    });
  });
});
