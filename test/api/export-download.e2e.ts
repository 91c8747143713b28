import { backupRunListItemSchema, CSRF_HEADER, errorBodySchema } from '@entra-backup/common';
import type { Response } from 'supertest';
import yauzl from 'yauzl';
import { AuditService } from '../../apps/api/src/modules/audit/audit.service';
import { AuditAction } from '../../apps/api/src/modules/audit/audit-action';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(120_000);

/** Collects a binary body (supertest parses only text by default). */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Every entry of a zip, name → text, read with yauzl (validating the archive as it goes). */
async function unzip(data: Buffer): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const entries = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

function lines(text: string | undefined): Record<string, unknown>[] {
  return (text ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A snapshot downloaded from the portal's API as a zip of the export format, streamed. */
describe('Snapshot export download (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;
  let seq: number;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
    const started = await admin.agent
      .post(`${tenant()}/backups`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ types: ['users', 'groups', 'bitlockerKeys'] })
      .expect(202);
    for (let attempt = 0; ; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await admin.agent.get(`${tenant()}/backups/${String(started.body.runId)}`).expect(200)).body,
      );
      if (run.status !== 'running') {
        expect(run.status).toBe('completed');
        break;
      }
      if (attempt > 300) throw new Error('the backup did not end');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await env.close();
  });

  const tenant = () => `/api/tenants/${env.tenantId}`;
  const download = (path: string) => admin.agent.get(path).buffer(true).parse(binary);

  it('streams the chosen types as a valid zip of JSON-lines files, without BitLocker keys by default', async () => {
    const res = await download(
      `${tenant()}/snapshots/latest/export.zip?types=users,groups,bitlockerKeys`,
    ).expect(200);

    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="entra-backup-[a-z0-9-]+-snapshot-\d+-\d{4}-\d{2}-\d{2}\.zip"/,
    );
    seq = Number(/snapshot-(\d+)-/.exec(String(res.headers['content-disposition']))?.[1]);
    const entries = await unzip(res.body as Buffer);
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining(['users.jsonl', 'groups.jsonl', 'bitlockerKeys.jsonl']),
    );
    expect(
      [...entries.keys()].every(
        (name) =>
          name === 'manifest.json' || /^(users|groups|bitlockerKeys)(\.[A-Za-z]+)?\.jsonl$/.test(name),
      ),
    ).toBe(true);
    expect(JSON.parse(String(entries.get('manifest.json')))).toMatchObject({
      types: ['users', 'groups', 'bitlockerKeys'],
      missingTypes: [],
    });
    const users = lines(entries.get('users.jsonl'));
    expect(users.length).toBeGreaterThan(30);
    expect(users.map((u) => u['id'])).toContain(env.admin.id);
    expect(users.find((u) => u['id'] === env.admin.id)).toMatchObject({ userPrincipalName: env.admin.upn });
    const groups = lines(entries.get('groups.jsonl'));
    expect(groups.length).toBeGreaterThan(0);
    const keys = lines(entries.get('bitlockerKeys.jsonl'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toHaveProperty('id');
      expect(key).not.toHaveProperty('key');
    }
  });

  it('includes the BitLocker keys only when asked, and records that in the audit trail', async () => {
    const res = await download(
      `${tenant()}/snapshots/${seq}/export.zip?types=bitlockerKeys&bitlockerKeys=true`,
    ).expect(200);

    const entries = await unzip(res.body as Buffer);
    expect([...entries.keys()]).toEqual(['bitlockerKeys.jsonl', 'manifest.json']);
    const keys = lines(entries.get('bitlockerKeys.jsonl'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(typeof key['key']).toBe('string');

    const trail = await env.app.get(AuditService).listRecent({ tenantId: env.tenantId });
    expect(trail.filter((e) => e.action === AuditAction.SNAPSHOT_EXPORTED_WITH_SECRETS)).toEqual([
      expect.objectContaining({ actor: `user:${env.admin.upn}` }),
    ]);
  });

  it('answers 400 for an unknown type and 404 for an unknown snapshot, before any zip byte', async () => {
    const badType = await admin.agent.get(`${tenant()}/snapshots/latest/export.zip?types=users,unicorns`);
    expect(badType.status).toBe(400);
    expect(badType.headers['content-type']).toContain('application/json');
    expect(errorBodySchema.parse(badType.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('unicorns'),
    });

    const badSnapshot = await admin.agent.get(`${tenant()}/snapshots/9999/export.zip`);
    expect(badSnapshot.status).toBe(404);
    expect(badSnapshot.headers['content-type']).toContain('application/json');
    expect(errorBodySchema.parse(badSnapshot.body).code).toBe('SNAPSHOT_NOT_FOUND');

    const badFlag = await admin.agent.get(`${tenant()}/snapshots/latest/export.zip?bitlockerKeys=yes`);
    expect(badFlag.status).toBe(400);
  });

  it('refuses a member without an admin role', async () => {
    const member = await signIn(env, env.member);
    const res = await member.agent.get(`${tenant()}/snapshots/latest/export.zip`);
    expect(res.status).toBe(403);
  });
});
