import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@entra-backup/common';
import { GRAPH_APP_ROLES } from '@entra-backup/graph-emulator';
import { AlertSettingsService } from '../../src/modules/alerts/alert-settings.service';
import { AlertsModule } from '../../src/modules/alerts/alerts.module';
import { AlertsService } from '../../src/modules/alerts/alerts.service';
import { BackupService } from '../../src/modules/backup';
import { BackupReaderService } from '../../src/modules/backup-storage';
import { ConsentGrantsService } from '../../src/modules/consent/consent-grants.service';
import { permissionsOf, requiredAppRoles, requiredReadPermissions } from '../../src/modules/exporters';
import { NotificationService } from '../../src/modules/notifications/notification.service';
import { RecipientsService } from '../../src/modules/notifications/recipients.service';
import { verifyWebhookSignature } from '../../src/modules/notifications/webhook-signature';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { PruneEvents } from '../../src/modules/retention/prune-events';
import { SettingsService } from '../../src/modules/settings/settings.service';
import { PartnerEntity, TenantEntity } from '../../src/persistence/entities';
import { MailSink, WebhookSink } from '../support/alert-sinks';
import {
  type BackupEngineHarness,
  CONTRACT_APP,
  startBackupEngineHarness,
} from '../support/backup-engine-harness';
import { FixedClock } from '../support/doubles';
import { testDatabases } from '../support/test-database';

const HOUR = 3_600_000;
const SOC = 'soc@contoso.test';
const NOC = 'noc@fabrikam.test';
const TYPES = [
  'users',
  'builtInRoles',
  'conditionalAccessPolicies',
  'appRegistrations',
  'auditLogs',
] as const;
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Every alert, end to end: changes and failures on the emulator, backups through the product, mail
 * received by a local SMTP server and signed webhooks by a local HTTP endpoint (the first answer a
 * 500, retried on the application's clock).
 */
describe.each(testDatabases())('alerts on %s', (engine) => {
  jest.setTimeout(120_000);
  const mail = new MailSink();
  const hooks = new WebhookSink();
  const clock = new FixedClock(new Date('2026-11-20T12:00:00.000Z'));
  let h: BackupEngineHarness;
  let tenantId: string;
  let secret: string;
  let hookUrl: string;
  let backups: BackupService;
  let alerts: AlertsService;
  let notifications: NotificationService;

  const backup = (options: { full?: boolean } = {}) =>
    backups.runBackup(tenantId, { types: [...TYPES], trigger: 'cli', actor: 'cli:test', ...options });
  const subjects = (to: string) => mail.to(to).map((m) => m.subject);
  const documents = () => hooks.accepted().map((r) => JSON.parse(r.body) as Record<string, unknown>);
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));
  const servicePrincipalOfApp = async () =>
    (await h.truth(tenantId, 'servicePrincipals')).find((sp) => sp['appId'] === CONTRACT_APP.clientId)!;

  beforeAll(async () => {
    const smtpUrl = await mail.start();
    hookUrl = await hooks.start();
    h = await startBackupEngineHarness({
      usersPerTenant: 30,
      engine,
      imports: [AlertsModule],
      env: { SMTP_URL: smtpUrl, SMTP_FROM: 'Entra Backup <alerts@backup.test>' },
      appClock: clock,
    });
    tenantId = h.tenants[0]!;
    backups = h.app.get(BackupService);
    alerts = h.app.get(AlertsService);
    notifications = h.app.get(NotificationService);
    h.consent(tenantId, requiredAppRoles());
    await h.app.get(ConsentGrantsService).save({
      tenantId,
      grantedRoles: requiredReadPermissions(),
      grantedBy: 'test',
      grantedAt: clock.now(),
      verifiedAt: clock.now(),
    });
    await h.app
      .get(SettingsService)
      .update(tenantId, Object.fromEntries(TYPES.map((t) => [t, true])), 'cli:test');
    // The tenant is a partner's customer: the partner's address hears of its alerts too.
    const db = h.app.get(DataSource);
    const partnerId = randomUUID();
    await db.getRepository(PartnerEntity).insert({
      id: partnerId,
      name: 'Fabrikam IT',
      createdAt: clock.now(),
      createdBy: 'cli:test',
    });
    await db
      .getRepository(TenantEntity)
      .update({ id: tenantId }, { partnerId, partnerLinkedAt: clock.now() });
    const recipients = h.app.get(RecipientsService);
    const by = { actor: 'cli:test', principalKind: 'person', address: null } as const;
    await recipients.add({ kind: 'tenant', id: tenantId }, { channel: 'email', address: SOC }, by);
    const hook = await recipients.add(
      { kind: 'tenant', id: tenantId },
      { channel: 'webhook', address: hookUrl },
      by,
    );
    secret = hook.secret!;
    await recipients.add({ kind: 'partner', id: partnerId }, { channel: 'email', address: NOC }, by);
  });

  afterAll(async () => {
    await h?.close();
    await mail.stop();
    await hooks.stop();
  });

  afterEach(() => {
    mail.clear();
    hooks.clear();
  });

  it('says nothing after a first, complete backup', async () => {
    await expect(backup({ full: true })).resolves.toMatchObject({ status: 'completed' });
    await alerts.whenIdle();

    expect(mail.mails).toEqual([]);
    expect(hooks.received).toEqual([]);
  });

  it('raises every identity alert from the next backup, by mail and by signed webhook retried after a 500', async () => {
    await h.app
      .get(AlertSettingsService)
      .update(
        tenantId,
        { massDeletionThreshold: 2, bitlockerReadThreshold: 1, dailyDigest: false },
        { actor: 'cli:test', principalKind: 'person', address: null },
      );
    const users = await h.truth(tenantId, 'users');
    for (const user of users.slice(-3))
      await h.change(tenantId, { action: 'delete', collection: 'users', id: user['id'] });
    const policy = (await h.truth(tenantId, 'conditionalAccessPolicies')).find(
      (p) => p['state'] === 'enabled',
    )!;
    await h.change(tenantId, { action: 'disableConditionalAccessPolicy', id: policy['id'] });
    const client = h.graph.forTenant(tenantId);
    const admins = new Set(
      (await h.truth(tenantId, 'roleAssignments'))
        .filter((a) => a['roleDefinitionId'] === GLOBAL_ADMIN)
        .map((a) => a['principalId']),
    );
    const promoted = users.find((u) => !admins.has(u['id']))!;
    await client.post('/roleManagement/directory/roleAssignments', {
      principalId: promoted['id'],
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
    });
    const app = (await h.truth(tenantId, 'applications'))[0]!;
    await h.change(tenantId, {
      action: 'update',
      collection: 'applications',
      id: app['id'],
      patch: {
        passwordCredentials: [
          ...(app['passwordCredentials'] as unknown[]),
          { keyId: randomUUID(), displayName: 'added outside change control', hint: 'x1y' },
        ],
      },
    });
    // The harness runs without AZURE_CLIENT_ID, so these reads with the test app's token stand in
    // for an admin's (the product's own app is left out of the count in production).
    const keys = await client.get<{ value: Array<{ id: string }> }>(
      '/informationProtection/bitlocker/recoveryKeys',
    );
    for (const key of keys.value.slice(0, 2))
      await client.get(`/informationProtection/bitlocker/recoveryKeys/${key.id}`, {
        query: { $select: 'key' },
      });
    hooks.answers = [500];

    await expect(backup()).resolves.toMatchObject({ status: 'completed' });
    await alerts.whenIdle();

    const expected = [
      expect.stringContaining('3 users deleted since the last backup'),
      expect.stringContaining(`Conditional Access policy disabled: ${String(policy['displayName'])}`),
      expect.stringContaining('New Global Administrator assignment'),
      expect.stringContaining(`New credential on application ${String(app['displayName'])}`),
      expect.stringContaining('2 BitLocker keys read since the last backup'),
    ];
    expect(subjects(SOC).sort()).toEqual(expect.arrayContaining(expected));
    expect(subjects(SOC)).toHaveLength(5);
    expect(subjects(NOC)).toHaveLength(5);
    const deletion = mail.to(SOC).find((m) => m.subject.includes('users deleted'))!;
    expect(deletion.text).toMatch(/\/compare\?tenant=[0-9a-f-]+&from=[0-9a-f-]+&to=[0-9a-f-]+&type=users/);

    // One of the five posts was answered 500: it waits for its retry, 30 s later on the app's clock.
    expect(hooks.received.filter((r) => r.status === 500)).toHaveLength(1);
    expect(hooks.accepted()).toHaveLength(4);
    later(31_000);
    await expect(notifications.deliverDue()).resolves.toBe(1);
    expect(hooks.accepted()).toHaveLength(5);
    const [failed] = hooks.received.filter((r) => r.status === 500);
    const retried = hooks
      .accepted()
      .filter((r) => r.headers[WEBHOOK_DELIVERY_HEADER] === failed!.headers[WEBHOOK_DELIVERY_HEADER]);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.body).toBe(failed!.body);
    for (const received of hooks.received) {
      expect(
        verifyWebhookSignature({
          secret,
          body: received.body,
          signature: received.headers[WEBHOOK_SIGNATURE_HEADER] as string,
          timestamp: received.headers[WEBHOOK_TIMESTAMP_HEADER] as string,
          nowSeconds: Math.floor(clock.now().getTime() / 1000),
        }),
      ).toBe(true);
    }
    expect(
      verifyWebhookSignature({
        secret: 'whsec_wrong',
        body: hooks.received[0]!.body,
        signature: hooks.received[0]!.headers[WEBHOOK_SIGNATURE_HEADER] as string,
        timestamp: hooks.received[0]!.headers[WEBHOOK_TIMESTAMP_HEADER] as string,
        nowSeconds: Math.floor(clock.now().getTime() / 1000),
      }),
    ).toBe(false);
    expect(
      documents()
        .map((d) => d['kind'])
        .sort(),
    ).toEqual([
      'identity.bitlocker-reads',
      'identity.conditional-access',
      'identity.mass-deletion',
      'identity.new-credential',
      'identity.privileged-role',
    ]);
    expect(documents().find((d) => d['kind'] === 'identity.privileged-role')).toMatchObject({
      tenantId,
      assignments: [expect.objectContaining({ principalId: promoted['id'], role: 'Global Administrator' })],
      url: expect.stringContaining('type=builtInRoles'),
    });

    // The delivery log shows both attempts of the retried one.
    const log = await notifications.page(tenantId, { limit: 50 });
    const entry = log.items.find((n) => n.id === failed!.headers[WEBHOOK_DELIVERY_HEADER])!;
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(entry.attemptLog.map((a) => [a.outcome, a.detail])).toEqual([
      ['failed', 'the webhook answered HTTP 500'],
      ['sent', null],
    ]);
  });

  it('reports a partial backup with its cause and what to do, and the missing permission from the daily consent check', async () => {
    // Every permission that lets the app read Conditional Access policies is taken away.
    const needed = permissionsOf('conditionalAccessPolicies').read[0]!;
    const roleIds = new Set(
      GRAPH_APP_ROLES.filter(
        (r) => r.value === needed || r.value === 'Policy.ReadWrite.ConditionalAccess',
      ).map((r) => r.id),
    );
    const sp = await servicePrincipalOfApp();
    for (const assignment of (await h.truth(tenantId, 'appRoleAssignments')).filter(
      (a) => a['principalId'] === sp['id'] && roleIds.has(String(a['appRoleId'])),
    ))
      await h.change(tenantId, { action: 'delete', collection: 'appRoleAssignments', id: assignment['id'] });
    await h.renewGraphClient();

    await expect(backup()).resolves.toMatchObject({ status: 'partial' });
    await alerts.whenIdle();

    const partial = mail.to(SOC).find((m) => m.subject.includes('Backup partly failed'))!;
    expect(partial.subject).toContain('Conditional Access policies');
    expect(partial.text).toContain('What to do: Grant admin consent in Settings');
    expect(documents().find((d) => d['kind'] === 'backup.partial')).toMatchObject({
      failures: [expect.objectContaining({ types: ['conditionalAccessPolicies'], action: 'grant-consent' })],
    });

    mail.clear();
    await expect(alerts.checkConsentHealth()).resolves.toBe(1);
    await alerts.whenIdle();
    expect(subjects(SOC)).toEqual([expect.stringContaining(`Permissions missing: ${needed}`)]);
    // Checked at most daily, and told once per change.
    await expect(alerts.checkConsentHealth()).resolves.toBe(0);
    await alerts.whenIdle();
    later(25 * HOUR);
    await expect(alerts.checkConsentHealth()).resolves.toBe(0);
    await alerts.whenIdle();
    expect(mail.to(SOC)).toHaveLength(1);
  });

  it('tells of a failed backup, revoked consent and a tenant without a successful backup for a day', async () => {
    const sp = await servicePrincipalOfApp();
    await h.change(tenantId, { action: 'hardDelete', collection: 'servicePrincipals', id: sp['id'] });
    await h.renewGraphClient();

    await expect(backup()).resolves.toMatchObject({ status: 'failed' });
    await alerts.whenIdle();
    const failed = mail.to(SOC).find((m) => m.subject.endsWith('Backup failed'))!;
    expect(failed.text).toContain('The app is not consented to in this tenant.');
    expect(failed.text).toContain('What to do: Grant admin consent in Settings');

    later(25 * HOUR);
    await expect(alerts.checkConsentHealth()).resolves.toBe(1);
    await alerts.whenIdle();
    expect(subjects(SOC)).toContainEqual(expect.stringContaining('Admin consent was revoked'));
    await expect(alerts.checkStaleBackups()).resolves.toBeGreaterThanOrEqual(1);
    await alerts.whenIdle();
    expect(subjects(NOC)).toContainEqual(expect.stringMatching(/No successful backup for \d+ hours/));
    mail.clear();
    await alerts.checkStaleBackups();
    await alerts.whenIdle();
    expect(mail.to(SOC)).toEqual([]);
  });

  it('tells when a restore finished', async () => {
    h.consent(tenantId, requiredAppRoles());
    await h.renewGraphClient();
    const first = (
      await h.app.get(BackupReaderService).listSnapshots(tenantId, { limit: 50, offset: 0 })
    ).items.at(-1)!;
    const restore = h.app.get(RestoreService);
    const plan = await restore.createPlan(
      tenantId,
      { snapshotId: first.id, types: ['users'] },
      { actor: 'cli:test' },
    );

    const run = await restore.executePlan(tenantId, plan.planId, { actor: 'cli:test' });
    await alerts.whenIdle();

    expect(run.status).toBe('completed');
    expect(subjects(SOC)).toContainEqual(expect.stringMatching(/\] Restore finished$/));
    expect(documents().find((d) => d['kind'] === 'restore.finished')).toMatchObject({
      restoreId: run.restoreId,
      status: run.status,
      counts: expect.objectContaining({ restoredDeleted: expect.any(Number) }),
    });
  });

  it('holds alerts for a daily digest when asked, prune failures included', async () => {
    await h.app
      .get(AlertSettingsService)
      .update(
        tenantId,
        { massDeletionThreshold: 2, bitlockerReadThreshold: 1, dailyDigest: true },
        { actor: 'cli:test', principalKind: 'person', address: null },
      );
    // Pruning announces its end on PruneEvents, as RetentionService.prune does.
    const pruneFailed = (reason: string) =>
      h.app.get(PruneEvents).emit({
        tenantId,
        run: {
          id: randomUUID(),
          trigger: 'schedule',
          status: 'failed',
          actor: 'schedule',
          startedAt: clock.now().toISOString(),
          finishedAt: clock.now().toISOString(),
          freed: { snapshots: 0, objectVersions: 0, logEntries: 0, blobs: 0, bytes: 0 },
          reason,
        },
      });
    await pruneFailed('the storage refused to delete blob 4f2a');
    await pruneFailed('the storage refused to delete blob 9c1d');
    await alerts.whenIdle();
    await expect(alerts.sendDigests()).resolves.toBe(0);
    await alerts.whenIdle();
    expect(mail.mails).toEqual([]);

    later(24 * HOUR);
    await expect(alerts.sendDigests()).resolves.toBe(6);
    await alerts.whenIdle();

    expect(subjects(SOC)).toEqual([expect.stringMatching(/^2 alerts for /)]);
    expect(mail.to(SOC)[0]!.text).toContain('blob 9c1d');
    expect(subjects(NOC)).toEqual([expect.stringMatching(/^2 alerts for /)]);
    expect(documents()).toEqual([
      expect.objectContaining({
        kind: 'alerts.digest',
        alerts: [
          expect.objectContaining({ kind: 'prune.failed' }),
          expect.objectContaining({ kind: 'prune.failed' }),
        ],
      }),
    ]);
  });
});
