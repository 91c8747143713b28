import { DEFAULT_ALERT_SETTINGS, OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import type { GraphClientFactory } from '@entra-backup/graph';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { AppConfig } from '../../config/app-config';
import type { TenantEntity } from '../../persistence/entities';
import type {
  AlertConfigRepository,
  AlertStateRecord,
  TenantRepository,
} from '../../persistence/repositories';
import type { ConsentGrantRecord } from '../../persistence/repositories/consent-grant.repository';
import type { BackupRunEvents } from '../backup/backup-run-events';
import type { BackupReaderService } from '../backup-storage/backup-reader.service';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import type { NotificationMessage, NotificationService } from '../notifications/notification.service';
import type { RecipientsService } from '../notifications/recipients.service';
import type { RestoreRunEvents } from '../restore/restore-run-events';
import type { PruneEvents } from '../retention/prune-events';
import type { SettingsService } from '../settings/settings.service';
import { AlertsService } from './alerts.service';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const HOUR = 3_600_000;
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';

function tenant(overrides: Partial<TenantEntity> = {}): TenantEntity {
  return {
    id: TENANT,
    displayName: 'Contoso',
    createdAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
    updatedAt: NOW,
    partnerId: null,
    partnerLinkedAt: null,
    ...overrides,
  } as TenantEntity;
}

const GRANT: ConsentGrantRecord = {
  tenantId: TENANT,
  grantedRoles: ['User.Read.All'],
  grantedBy: 'admin@contoso.test',
  grantedAt: NOW,
  verifiedAt: NOW,
};

describe(AlertsService.name, () => {
  let clock: FixedClock;
  let sent: NotificationMessage[];
  let states: Map<string, AlertStateRecord>;
  let config: jest.Mocked<AlertConfigRepository>;
  let tenants: jest.Mocked<TenantRepository>;
  let consent: jest.Mocked<ConsentGrantsService>;
  let graph: jest.Mocked<GraphClientFactory>;
  let settings: jest.Mocked<SettingsService>;
  let sut: AlertsService;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    sent = [];
    states = new Map();
    const notifications = strictDouble<NotificationService>('NotificationService');
    notifications.notify.mockImplementation(async (message) => {
      sent.push(message);
      return { ids: ['n'], delivered: Promise.resolve() };
    });
    const recipients = strictDouble<RecipientsService>('RecipientsService');
    recipients.targetsFor.mockResolvedValue([{ channel: 'email', recipient: 'soc@contoso.test' }]);
    config = strictDouble<AlertConfigRepository>('AlertConfigRepository');
    config.findSettings.mockResolvedValue(null);
    config.findState.mockImplementation(async (tenantId, key) => states.get(`${tenantId}/${key}`) ?? null);
    config.saveState.mockImplementation(async (record) => {
      states.set(`${record.tenantId}/${record.checkKey}`, record);
    });
    tenants = strictDouble<TenantRepository>('TenantRepository');
    tenants.listAll.mockResolvedValue([tenant()]);
    tenants.findById.mockResolvedValue(tenant());
    consent = strictDouble<ConsentGrantsService>('ConsentGrantsService');
    consent.find.mockResolvedValue(GRANT);
    graph = strictDouble<GraphClientFactory>('GraphClientFactory');
    settings = strictDouble<SettingsService>('SettingsService');
    settings.get.mockResolvedValue({
      tenantId: TENANT,
      enabledTypes: Object.fromEntries(OBJECT_TYPE_KEYS.map((k) => [k, k === 'users'])) as Record<
        ObjectTypeKey,
        boolean
      >,
      updatedAt: NOW.toISOString(),
    });
    sut = new AlertsService(
      notifications,
      recipients,
      config,
      tenants,
      strictDouble<BackupReaderService>('BackupReaderService'),
      consent,
      settings,
      graph,
      strictDouble<BackupRunEvents>('BackupRunEvents'),
      strictDouble<RestoreRunEvents>('RestoreRunEvents'),
      strictDouble<PruneEvents>('PruneEvents'),
      {
        auth: { publicUrl: 'https://backup.contoso.test/' },
        graph: { clientId: undefined },
      } as unknown as AppConfig,
      clock,
    );
  });

  describe('stale backups', () => {
    it('alerts once per gap when the last completed backup is more than 24 hours old', async () => {
      config.lastCompletedBackups.mockResolvedValue(new Map([[TENANT, new Date(NOW.getTime() - 25 * HOUR)]]));

      await expect(sut.checkStaleBackups()).resolves.toBe(1);
      await expect(sut.checkStaleBackups()).resolves.toBe(0);

      expect(sent).toEqual([
        expect.objectContaining({
          kind: 'backup.stale',
          subject: '[Contoso] No successful backup for 25 hours',
          body: expect.stringContaining('https://backup.contoso.test/backups?tenant='),
        }),
      ]);
    });

    it('says nothing within 24 hours, nor for a tenant that was never set up', async () => {
      config.lastCompletedBackups.mockResolvedValue(new Map([[TENANT, new Date(NOW.getTime() - 23 * HOUR)]]));
      await expect(sut.checkStaleBackups()).resolves.toBe(0);

      config.lastCompletedBackups.mockResolvedValue(new Map());
      consent.find.mockResolvedValue(null);
      await expect(sut.checkStaleBackups()).resolves.toBe(0);
      expect(sent).toEqual([]);
    });
  });

  describe('consent health', () => {
    it('alerts on a missing permission once, reading the directory at most daily', async () => {
      graph.getGrantedAppRoles.mockResolvedValue(['Directory.Read.All']);

      await expect(sut.checkConsentHealth()).resolves.toBe(1);
      expect(sent[0]).toMatchObject({
        kind: 'consent.missing',
        subject: '[Contoso] Permissions missing: User.Read.All, UserAuthenticationMethod.Read.All',
      });

      clock.set(new Date(NOW.getTime() + 23 * HOUR));
      await expect(sut.checkConsentHealth()).resolves.toBe(0);
      expect(graph.getGrantedAppRoles).toHaveBeenCalledTimes(1);

      clock.set(new Date(NOW.getTime() + 25 * HOUR));
      await expect(sut.checkConsentHealth()).resolves.toBe(0);
      expect(graph.getGrantedAppRoles).toHaveBeenCalledTimes(2);
      expect(sent).toHaveLength(1);
    });

    it('alerts on revoked consent when the identity platform no longer knows the app', async () => {
      graph.getGrantedAppRoles.mockRejectedValue(
        new Error("unauthorized_client: AADSTS700016: Application with identifier 'x' was not found"),
      );

      await expect(sut.checkConsentHealth()).resolves.toBe(1);

      expect(sent[0]).toMatchObject({
        kind: 'consent.revoked',
        data: expect.objectContaining({ state: 'revoked' }),
      });
    });

    it('leaves an outage for the next tick, without an alert or a recorded check', async () => {
      graph.getGrantedAppRoles.mockRejectedValue(new Error('connect ECONNREFUSED'));

      await expect(sut.checkConsentHealth()).resolves.toBe(0);

      expect(sent).toEqual([]);
      expect(states.size).toBe(0);
    });
  });

  it('groups the failures of a partial run with their cause and what to do', async () => {
    const refused = {
      status: 'failed' as const,
      objects: 0,
      added: 0,
      changed: 0,
      removed: 0,
      requests: 1,
      reason: 'Insufficient privileges to complete the operation.',
      graphCode: 'Authorization_RequestDenied',
    };
    await sut.backupFinished({
      tenantId: TENANT,
      runId: 'r1',
      status: 'partial',
      reason: null,
      summary: {
        status: 'partial',
        snapshotId: null,
        types: {
          users: { ...refused, status: 'succeeded', reason: undefined },
          groups: refused,
          devices: refused,
        },
      } as never,
    });

    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'backup.partial',
        subject: '[Contoso] Backup partly failed: Groups, Devices',
        body: expect.stringContaining('Groups, Devices failed'),
        data: expect.objectContaining({
          failures: [expect.objectContaining({ types: ['groups', 'devices'], status: 'failed' })],
        }),
      }),
    ]);
  });

  it('holds alerts for the digest when the tenant asked for one', async () => {
    config.findSettings.mockResolvedValue({
      tenantId: TENANT,
      ...DEFAULT_ALERT_SETTINGS,
      dailyDigest: true,
      updatedAt: NOW,
      updatedBy: 'user:ada',
    });

    await sut.pruneFailed(TENANT, 'disk full');

    expect(sent).toEqual([expect.objectContaining({ kind: 'prune.failed', hold: true })]);
  });
});
