import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { startTestApp, type TestApp } from './support/test-app';

// Every test boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(30_000);

const INDEX_HTML = '<!doctype html><html><body><eb-root>entra-backup portal</eb-root></body></html>';

describe('portal hosting (e2e)', () => {
  let portalDir: string;
  let testApp: TestApp;
  let http: App;

  beforeEach(async () => {
    portalDir = await mkdtemp(join(tmpdir(), 'entra-backup-portal-'));
    await writeFile(join(portalDir, 'index.html'), INDEX_HTML);
    await writeFile(join(portalDir, 'main.js'), 'console.log("portal");');
    await writeFile(join(portalDir, 'main-AB12CD34.js'), 'console.log("hashed");');
    testApp = await startTestApp({ ENTRA_BACKUP_PORTAL_DIR: portalDir });
    http = testApp.app.getHttpServer() as App;
  });

  afterEach(async () => {
    await testApp.close();
    await rm(portalDir, { recursive: true, force: true });
  });

  it('serves index.html at /, revalidated on every load', async () => {
    const res = await request(http).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX_HTML);
  });

  it('lets browsers keep content-hashed bundles for good', async () => {
    const res = await request(http).get('/main-AB12CD34.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe('console.log("hashed");');
  });

  it('serves static assets', async () => {
    const res = await request(http).get('/main.js').expect(200);
    expect(res.text).toBe('console.log("portal");');
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await request(http).get('/tenants/72f988bf-86f1-41af-91ab-2d7cd011db47/settings').expect(200);
    expect(res.text).toBe(INDEX_HTML);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('never shadows the API', async () => {
    await request(http).get('/api/health').expect(200).expect('content-type', /json/);
    const missing = await request(http).get('/api/does-not-exist').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const root = await request(http).get('/api').expect(404);
    expect(root.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
