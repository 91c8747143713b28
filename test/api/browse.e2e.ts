import {
  backupRunListItemSchema,
  browseObjectPageSchema,
  browseSnapshotDetailSchema,
  browseSnapshotPageSchema,
  CSRF_HEADER,
  errorBodySchema,
  MASKED_VALUE,
  objectDetailSchema,
  revealKeyResponseSchema,
} from '@entra-backup/common';
import { AuditAction } from '../../apps/api/src/modules/audit/audit-action';
import { AuditService } from '../../apps/api/src/modules/audit/audit.service';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(180_000);

const TYPES = [
  'users',
  'groups',
  'builtInRoles',
  'devices',
  'bitlockerKeys',
  'conditionalAccessPolicies',
  'signInLogs',
  'auditLogs',
];

/**
 * Browsing a backed-up tenant through the REST API as the portal does: snapshots with counts,
 * a sorted, searched and filtered user table, log entries in a time range, a group with its
 * members by name, a user with the groups and roles that name it, and a BitLocker key that is
 * listed without its key and revealed only on an explicit, audited request.
 */
describe('Browse over REST, end to end (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
    await backUp();
  });

  afterAll(async () => {
    await env?.close();
  });

  const tenant = () => `/api/tenants/${env.tenantId}`;
  const get = (path: string) => admin.agent.get(`${tenant()}${path}`);
  const post = (path: string) => admin.agent.post(`${tenant()}${path}`).set(CSRF_HEADER, admin.csrfToken);

  async function backUp(): Promise<void> {
    const started = await post('/backups').send({ types: TYPES }).expect(202);
    for (let attempt = 0; attempt < 600; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await get(`/backups/${String(started.body.runId)}`).expect(200)).body,
      );
      if (run.status !== 'running') {
        expect(['completed', 'partial']).toContain(run.status);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the backup did not end');
  }

  it('lists snapshots with per-type counts, and one snapshot with exact counts per collection', async () => {
    const page = browseSnapshotPageSchema.parse((await get('/snapshots').expect(200)).body);
    expect(page.total).toBe(1);
    expect(page.items[0]!.counts['users']).toBeGreaterThan(0);
    const latest = browseSnapshotDetailSchema.parse((await get('/snapshots/latest').expect(200)).body);
    expect(latest.snapshot.id).toBe(page.items[0]!.id);
    const users = latest.types.find((t) => t.type === 'users')!;
    // The list holds the run's figure, every collection of the type (users and their authentication
    // methods); the snapshot counts each collection, the type's own first.
    expect(users.collections.map((c) => c.name)).toEqual(['users', 'authenticationMethods']);
    expect(users.count).toBe(users.collections[0]!.count);
    expect(users.collections.reduce((n, c) => n + c.count, 0)).toBe(page.items[0]!.counts['users']);
    const bySeq = browseSnapshotDetailSchema.parse(
      (await get(`/snapshots/${latest.snapshot.seq}`).expect(200)).body,
    );
    expect(bySeq.snapshot.id).toBe(latest.snapshot.id);
  });

  it('pages, sorts, searches and filters users in the database', async () => {
    const first = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/users/objects?pageSize=10&sort=displayName').expect(200)).body,
    );
    expect(first.columns.map((c) => c.key)).toEqual(
      expect.arrayContaining(['displayName', 'userPrincipalName', 'department', 'accountEnabled']),
    );
    expect(first.items).toHaveLength(10);
    const names = first.items.map((i) => String(i.values['displayName']).toLowerCase());
    expect(names).toEqual([...names].sort());
    const descending = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/users/objects?pageSize=10&sort=displayName&order=desc').expect(200))
        .body,
    );
    expect(descending.items[0]!.id).not.toBe(first.items[0]!.id);

    const upn = env.admin.upn;
    const searched = browseObjectPageSchema.parse(
      (
        await get(
          `/snapshots/latest/types/users/objects?search=${encodeURIComponent(upn.toUpperCase())}`,
        ).expect(200)
      ).body,
    );
    expect(searched.items.map((i) => i.id)).toContain(env.admin.id);
    const byId = browseObjectPageSchema.parse(
      (await get(`/snapshots/latest/types/users/objects?search=${env.admin.id}`).expect(200)).body,
    );
    expect(byId.items.map((i) => i.id)).toEqual([env.admin.id]);

    const enabled = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/users/objects?filter=accountEnabled:true&pageSize=200').expect(200))
        .body,
    );
    const disabled = browseObjectPageSchema.parse(
      (
        await get('/snapshots/latest/types/users/objects?filter=accountEnabled:false&pageSize=200').expect(
          200,
        )
      ).body,
    );
    expect(enabled.items.every((i) => i.values['accountEnabled'] === true)).toBe(true);
    expect(disabled.items.every((i) => i.values['accountEnabled'] === false)).toBe(true);
    expect(enabled.total + disabled.total).toBe(first.total);
  });

  it('answers bad input with a 4xx and a message', async () => {
    const cases: Array<[string, number, string]> = [
      ['/snapshots/latest/types/widgets/objects', 400, 'BROWSE_UNKNOWN_TYPE'],
      ['/snapshots/latest/types/users/objects?sort=shoeSize', 400, 'BROWSE_INVALID_QUERY'],
      ['/snapshots/latest/types/users/objects?filter=department:Sales', 400, 'BROWSE_INVALID_QUERY'],
      ['/snapshots/latest/types/users/objects?pageSize=5000', 400, 'VALIDATION_FAILED'],
      ['/snapshots/latest/types/users/objects?collection=widgets', 400, 'BROWSE_UNKNOWN_COLLECTION'],
      ['/snapshots/999/types/users/objects', 404, 'SNAPSHOT_NOT_FOUND'],
      ['/snapshots/latest/types/users/objects/users/no-such-user', 404, 'BROWSE_OBJECT_NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const body = errorBodySchema.parse((await get(path).expect(status)).body);
      expect({ path, code: body.code }).toEqual({ path, code });
      expect(body.message.length).toBeGreaterThan(10);
    }
  });

  it('shows groups with type, membership kind and members, and a group page names its members', async () => {
    const groups = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/groups/objects?sort=memberCount&order=desc&pageSize=5').expect(200))
        .body,
    );
    const top = groups.items[0]!;
    expect(top.values['memberCount']).toEqual(expect.any(Number));
    expect(['Microsoft 365', 'Security', 'Mail-enabled security', 'Distribution']).toContain(
      top.values['groupType'],
    );
    const detail = objectDetailSchema.parse(
      (await get(`/snapshots/latest/types/groups/objects/groups/${top.id}`).expect(200)).body,
    );
    const members = detail.relations.find((r) => r.key === 'members')!;
    expect(members.items.length).toBe(top.values['memberCount']);
    const named = members.items.filter((m) => m.found);
    expect(named.length).toBeGreaterThan(0);
    expect(named[0]!.name).toEqual(expect.any(String));

    // Reverse: the member's page lists this group under "Member of".
    const member = named.find((m) => m.type === 'users')!;
    const user = objectDetailSchema.parse(
      (await get(`/snapshots/latest/types/users/objects/users/${member.id}`).expect(200)).body,
    );
    const memberOf = user.relations.find((r) => r.label === 'Member of')!;
    expect(memberOf.items.map((g) => g.id)).toContain(top.id);
  });

  it("resolves a Global Administrator's role by name", async () => {
    const user = objectDetailSchema.parse(
      (await get(`/snapshots/latest/types/users/objects/users/${env.admin.id}`).expect(200)).body,
    );
    const roles = user.relations.filter((r) => r.label === 'Roles').flatMap((r) => r.items);
    expect(roles.map((r) => r.name)).toContain('Global Administrator');
  });

  it('shows sign-in and audit logs with their admin-center columns in a time range', async () => {
    const all = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/signInLogs/objects?pageSize=20').expect(200)).body,
    );
    expect(all.log).toBe(true);
    expect(all.columns.map((c) => c.key)).toEqual([
      'date',
      'user',
      'application',
      'status',
      'ipAddress',
      'location',
      'conditionalAccess',
    ]);
    const dates = all.items.map((i) => String(i.values['date']));
    expect(dates).toEqual([...dates].sort().reverse());
    if (all.items.length > 1) {
      const newest = dates[0]!;
      const ranged = browseObjectPageSchema.parse(
        (
          await get(`/snapshots/latest/types/signInLogs/objects?from=${encodeURIComponent(newest)}`).expect(
            200,
          )
        ).body,
      );
      expect(ranged.items.every((i) => String(i.values['date']) >= newest)).toBe(true);
      expect(ranged.total).toBeLessThan(all.total);
    }
    const audits = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/auditLogs/objects?pageSize=5').expect(200)).body,
    );
    expect(audits.columns.map((c) => c.key)).toEqual([
      'date',
      'service',
      'category',
      'activity',
      'status',
      'initiatedBy',
      'target',
    ]);
  });

  it('lists BitLocker keys without key material and reveals one only when confirmed, audited', async () => {
    const keys = browseObjectPageSchema.parse(
      (await get('/snapshots/latest/types/bitlockerKeys/objects?pageSize=5').expect(200)).body,
    );
    expect(keys.items.length).toBeGreaterThan(0);
    const keyId = keys.items[0]!.id;
    const detail = objectDetailSchema.parse(
      (await get(`/snapshots/latest/types/bitlockerKeys/objects/recoveryKeys/${keyId}`).expect(200)).body,
    );
    expect(detail.object['key']).toBe(MASKED_VALUE);
    expect(detail.maskedFields).toEqual(['key']);

    const refused = await post(`/snapshots/latest/bitlocker-keys/${keyId}/reveal`).send({}).expect(400);
    expect(errorBodySchema.parse(refused.body).message).toContain('confirm');

    const revealed = revealKeyResponseSchema.parse(
      (await post(`/snapshots/latest/bitlocker-keys/${keyId}/reveal`).send({ confirm: true }).expect(200))
        .body,
    );
    expect(revealed.key).toMatch(/^\d{6}(-\d{6}){7}$/);

    // The key appears in that one answer only: not in any listing, page or log line.
    const bodies = [
      JSON.stringify(keys),
      JSON.stringify(detail),
      JSON.stringify(
        (await get('/snapshots/latest/types/bitlockerKeys/objects?pageSize=200').expect(200)).body,
      ),
      JSON.stringify(
        (await get(`/snapshots/latest/types/bitlockerKeys/objects?search=${keyId}`).expect(200)).body,
      ),
      JSON.stringify((await get('/snapshots/latest').expect(200)).body),
    ];
    for (const body of bodies) expect(body).not.toContain(revealed.key);
    // The audit trail records who revealed which key of which device, never the key.
    const audit = await env.app.get(AuditService).listRecent({ tenantId: env.tenantId });
    const event = audit.find((e) => e.action === AuditAction.BITLOCKER_KEY_REVEALED)!;
    expect(event).toMatchObject({ actor: `user:${env.admin.upn}`, details: { keyId } });
    expect(JSON.stringify(audit)).not.toContain(revealed.key);
  });
});
