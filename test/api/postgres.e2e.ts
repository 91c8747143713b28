import request from 'supertest';
import type { App } from 'supertest/types';
import {
  createTestDatabaseLocation,
  type TestDatabaseLocation,
} from '../../apps/api/test/support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

// Only generated when TEST_DATABASE_URL is set, like the persistence suite.
const engines = process.env['TEST_DATABASE_URL'] ? (['postgres'] as const) : [];

describe.each(engines)('API on %s (e2e)', (engine) => {
  let location: TestDatabaseLocation;
  let testApp: TestApp;
  let http: App;

  beforeEach(async () => {
    location = await createTestDatabaseLocation(engine);
    if (location.config.type !== 'postgres') throw new Error('expected a PostgreSQL location');
    // The app reads DATABASE_URL; the fresh schema goes in through the connection's search path.
    const url = new URL(location.config.url);
    url.searchParams.set('options', `-c search_path=${location.config.schema ?? 'public'}`);
    testApp = await startTestApp({ DATABASE_URL: url.toString() });
    http = testApp.app.getHttpServer() as App;
  });

  afterEach(async () => {
    await testApp.close();
    await location.drop();
  });

  it('migrates an empty database at start-up and serves tenants and settings', async () => {
    await request(http).get('/api/health').expect(200);
    await request(http).post('/api/tenants').send({ tenantId: TENANT, displayName: 'Contoso' }).expect(201);
    await request(http).post('/api/tenants').send({ tenantId: TENANT, displayName: 'Contoso' }).expect(409);
    await request(http)
      .put(`/api/tenants/${TENANT}/settings`)
      .send({ enabledTypes: { users: true } })
      .expect(200);

    const res = await request(http).get(`/api/tenants/${TENANT}/settings`).expect(200);

    expect(res.body.enabledTypes).toMatchObject({ users: true, groups: false });
  });
});
