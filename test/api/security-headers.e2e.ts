import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { startTestApp, type TestApp } from './support/test-app';

jest.setTimeout(30_000);

/** Shaped like the build's index.html: the root's nonce placeholder, inlined CSS and its loader script. */
const INDEX_HTML =
  '<!doctype html><html><head><style nonce="EB_CSP_NONCE">body{margin:0}</style>' +
  '<script nonce="EB_CSP_NONCE">/* loader */</script></head>' +
  '<body><eb-root ngCspNonce="EB_CSP_NONCE"></eb-root></body></html>';

function directives(header: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('security headers (e2e)', () => {
  let portalDir: string;

  beforeAll(async () => {
    portalDir = await mkdtemp(join(tmpdir(), 'entra-backup-portal-'));
    await writeFile(join(portalDir, 'index.html'), INDEX_HTML);
    await writeFile(join(portalDir, 'main-AB12CD34.js'), 'console.log("hashed");');
  });

  afterAll(async () => {
    await rm(portalDir, { recursive: true, force: true });
  });

  describe('on plain http (a localhost trial)', () => {
    let testApp: TestApp;
    let http: App;

    beforeAll(async () => {
      testApp = await startTestApp({ ENTRA_BACKUP_PORTAL_DIR: portalDir });
      http = testApp.app.getHttpServer() as App;
    });

    afterAll(async () => {
      await testApp.close();
    });

    it("serves the portal under a content security policy whose nonce is the page's, fresh on every load", async () => {
      const first = await request(http).get('/').expect(200);
      const csp = directives(first.headers['content-security-policy']);
      const nonce = /^'nonce-([A-Za-z0-9+/=]{20,})'$/.exec(csp.get('script-src')?.[1] ?? '')?.[1];

      expect(nonce).toBeDefined();
      expect(csp.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(first.text).not.toContain('EB_CSP_NONCE');
      expect(first.text.split(`"${nonce}"`)).toHaveLength(4);

      const second = await request(http).get('/index.html').expect(200);
      expect(second.text).not.toContain(nonce);
      expect(second.text).not.toContain('EB_CSP_NONCE');
      expect(second.headers['cache-control']).toBe('no-cache');
    });

    it('forbids framing and sniffing and sends no referrer, on the portal, its files and the API', async () => {
      for (const path of ['/', '/main-AB12CD34.js', '/api/health', '/api/does-not-exist']) {
        const res = await request(http).get(path);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(directives(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('sends no HSTS over http, even when a client claims https', async () => {
      const res = await request(http).get('/').set('x-forwarded-proto', 'https').expect(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it("lets the API's documentation page style itself", async () => {
      const res = await request(http).get('/api/docs').redirects(1).expect(200);
      expect(directives(res.headers['content-security-policy']).get('style-src')).toContain(
        "'unsafe-inline'",
      );
    });
  });

  describe('behind a TLS-terminating proxy (https public URL)', () => {
    let testApp: TestApp;
    let http: App;

    beforeAll(async () => {
      testApp = await startTestApp({
        ENTRA_BACKUP_PORTAL_DIR: portalDir,
        ENTRA_BACKUP_PUBLIC_URL: 'https://backup.contoso.com',
      });
      http = testApp.app.getHttpServer() as App;
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('sends HSTS on responses the proxy received over https, and only on those', async () => {
      const proxied = await request(http).get('/api/health').set('x-forwarded-proto', 'https').expect(200);
      expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');

      const plain = await request(http).get('/api/health').set('x-forwarded-proto', 'http').expect(200);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    });
  });
});
