import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  type AlertKind,
  type AlertSettings,
  DEFAULT_ALERT_SETTINGS,
  explainBackupFailure,
  groupBackupFailures,
  isObjectTypeKey,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
  objectTypeLabel,
  PORTAL_PATHS,
} from '@entra-backup/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { AlertConfigRepository, TenantRepository } from '../../persistence/repositories';
import { BackupRunEvents, type BackupRunFinished } from '../backup/backup-run-events';
import { BackupReaderService } from '../backup-storage/backup-reader.service';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { permissionsOf } from '../consent/consent-permissions';
import { primaryCollectionName } from '../exporters/registry';
import { NotificationService } from '../notifications/notification.service';
import { RecipientsService } from '../notifications/recipients.service';
import { RestoreRunEvents, type RestoreRunFinished } from '../restore/restore-run-events';
import { PruneEvents } from '../retention/prune-events';
import { SettingsService } from '../settings/settings.service';
import {
  type AlertFinding,
  type DiffFacts,
  identityAlerts,
  type ObjectChange,
  WATCHED_COLLECTIONS,
  WATCHED_LOGS,
} from './identity-alert-rules';

const DAY_MS = 24 * 60 * 60_000;
/** A tenant without a completed backup for longer than this gets an alert (once per gap). */
export const STALE_AFTER_MS = DAY_MS;
/** How often each tenant's consent is read from its directory. */
export const CONSENT_CHECK_EVERY_MS = DAY_MS;
/** How often a tenant that asked for a digest gets it. */
export const DIGEST_EVERY_MS = DAY_MS;

/**
 * Identity platform errors meaning the tenant no longer lets the app in (service principal
 * deleted or disabled, consent withdrawn):
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
const REFUSED_APP = /\bAADSTS(700016|7000229|65001|500014|7000112)\b/;

/** An alert to send: what the rules or checks found, and where in the portal it shows. */
interface Alert {
  readonly kind: AlertKind;
  readonly subject: string;
  readonly body: string;
  /** Portal path and query (from the public URL) that shows it. */
  readonly link: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Alerts: listens to backup and restore runs, computes identity alerts from each backup's diff
 * against the previous snapshot, checks for stale backups and consent health on the periodic
 * tick, and sends every alert to the tenant's and its partner's recipients (or holds it for the
 * tenant's daily digest).
 */
@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertsService.name);
  private readonly pending = new Set<Promise<unknown>>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly notifications: NotificationService,
    private readonly recipients: RecipientsService,
    private readonly config: AlertConfigRepository,
    private readonly tenants: TenantRepository,
    private readonly reader: BackupReaderService,
    private readonly consent: ConsentGrantsService,
    private readonly settings: SettingsService,
    private readonly graph: GraphClientFactory,
    private readonly backupRuns: BackupRunEvents,
    private readonly restoreRuns: RestoreRunEvents,
    private readonly prunes: PruneEvents,
    private readonly appConfig: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.backupRuns.subscribe((event) => this.track(this.backupFinished(event))),
      this.restoreRuns.subscribe((event) => this.track(this.restoreFinished(event))),
      this.prunes.subscribe(({ tenantId, run }) => {
        if (run.status === 'failed')
          this.track(this.pruneFailed(tenantId, run.reason ?? 'no reason was given'));
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    for (const off of this.unsubscribe) off();
    await this.whenIdle();
  }

  /** Settles when the alerts of every run that ended so far were raised (for tests and shutdown). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** A tenant's thresholds and digest choice (defaults when never set). */
  async settingsOf(tenantId: string): Promise<AlertSettings> {
    const row = await this.config.findSettings(tenantId.toLowerCase());
    return row === null
      ? DEFAULT_ALERT_SETTINGS
      : {
          massDeletionThreshold: row.massDeletionThreshold,
          bitlockerReadThreshold: row.bitlockerReadThreshold,
          dailyDigest: Boolean(row.dailyDigest),
        };
  }

  /** A backup run ended: failures (grouped, with cause and action) and identity alerts. */
  async backupFinished(event: BackupRunFinished): Promise<void> {
    const tenantId = event.tenantId.toLowerCase();
    const backups = `/backups?tenant=${tenantId}`;
    if (event.summary === null) {
      const why = explainBackupFailure(event.reason ?? 'The run ended without a result');
      await this.raise(tenantId, {
        kind: 'backup.failed',
        subject: 'Backup failed',
        body: `The backup run failed: ${why.cause}${why.actionText ? `\nWhat to do: ${why.actionText}.` : ''}\n\n${why.detail}`,
        link: backups,
        data: { runId: event.runId, cause: why.cause, action: why.action, detail: why.detail },
      });
      return;
    }
    const summary = event.summary;
    if (summary.status !== 'completed') {
      const groups = groupBackupFailures(summary.types);
      const failed = groups.filter((g) => g.status === 'failed');
      if (summary.status === 'failed' || failed.length > 0) {
        await this.raise(tenantId, {
          kind: summary.status === 'failed' ? 'backup.failed' : 'backup.partial',
          subject:
            summary.status === 'failed'
              ? 'Backup failed'
              : `Backup partly failed: ${failed
                  .flatMap((g) => g.types)
                  .map(objectTypeLabel)
                  .join(', ')}`,
          body: groups
            .map(
              (g) =>
                `${g.types.map(objectTypeLabel).join(', ')} ${g.status === 'failed' ? 'failed' : 'skipped'}: ${g.cause}` +
                (g.actionText ? `\nWhat to do: ${g.actionText}.` : ''),
            )
            .join('\n\n'),
          link: backups,
          data: {
            runId: event.runId,
            failures: groups.map((g) => ({
              types: g.types,
              status: g.status,
              cause: g.cause,
              action: g.action,
              actionText: g.actionText ?? null,
              code: g.code ?? null,
            })),
          },
        });
      }
    }
    if (summary.snapshotId !== null) await this.identityAlertsOf(tenantId, summary.snapshotId);
  }

  /**
   * Identity alerts of a snapshot against the one before it.
   * @returns what was raised
   */
  async identityAlertsOf(tenantId: string, snapshotId: string): Promise<AlertFinding[]> {
    const recent = await this.reader.listSnapshots(tenantId, { limit: 50, offset: 0 });
    const current = recent.items.find((s) => s.id === snapshotId);
    const previous =
      current === undefined
        ? undefined
        : recent.items.filter((s) => s.seq < current.seq).sort((a, b) => b.seq - a.seq)[0];
    if (current === undefined || previous === undefined) return [];
    const facts = await this.factsOf(tenantId, previous.id, current.id);
    const ownApp = this.appConfig.graph.clientId;
    const findings = identityAlerts(
      facts,
      await this.settingsOf(tenantId),
      ownApp === undefined ? [] : [ownApp],
    );
    for (const finding of findings) {
      const link = `/compare?tenant=${tenantId}&from=${previous.id}&to=${current.id}&type=${finding.type}`;
      await this.raise(tenantId, {
        ...finding,
        link,
        data: { ...finding.data, fromSnapshotId: previous.id, toSnapshotId: current.id },
      });
    }
    return findings;
  }

  /** A restore ended: tell how it went. */
  async restoreFinished(event: RestoreRunFinished): Promise<void> {
    const counts = event.run?.counts;
    const figures =
      counts === undefined
        ? ''
        : `\n\nRestored from the recycle bin: ${counts.restoredDeleted}; re-created: ${counts.recreated}; ` +
          `updated: ${counts.updated}; links added: ${counts.linksAdded}; links removed: ${counts.linksRemoved}; ` +
          `removed: ${counts.removed}; skipped: ${counts.skipped}; failed: ${counts.failed}.`;
    const words: Record<RestoreRunFinished['status'], string> = {
      completed: 'finished',
      partial: 'finished with failures',
      failed: 'failed',
      interrupted: 'stopped part-way (it can be resumed)',
    };
    await this.raise(event.tenantId.toLowerCase(), {
      kind: 'restore.finished',
      subject: `Restore ${words[event.status]}`,
      body: `The restore ${event.restoreId} ${words[event.status]}.${event.reason ? `\n${event.reason}` : ''}${figures}`,
      link: `/restore?tenant=${event.tenantId.toLowerCase()}`,
      data: {
        restoreId: event.restoreId,
        status: event.status,
        counts: counts ?? null,
        reason: event.reason,
      },
    });
  }

  /** Pruning (retention) failed for a tenant; `PruneEvents` of a failed prune lead here. */
  async pruneFailed(tenantId: string, cause: string): Promise<void> {
    await this.raise(tenantId.toLowerCase(), {
      kind: 'prune.failed',
      subject: 'Pruning of old snapshots failed',
      body:
        `Expired snapshots could not be removed: ${cause}\n` +
        'Every snapshot is still complete; pruning is tried again at its next run. ' +
        'If this repeats, check the storage and the server log.',
      link: PORTAL_PATHS.settings(tenantId.toLowerCase()),
      data: { cause },
    });
  }

  /**
   * Every tenant whose last completed backup is older than 24 hours (or that never had one in
   * its first 24 hours) gets one alert per gap.
   */
  async checkStaleBackups(): Promise<number> {
    const now = this.clock.now();
    const last = await this.config.lastCompletedBackups();
    let raised = 0;
    for (const tenant of await this.tenants.listAll()) {
      // A tenant never backed up and never consented to is not set up yet: nothing is expected of it.
      if (!last.has(tenant.id) && (await this.consent.find(tenant.id)) === null) continue;
      const lastCompleted = last.get(tenant.id) ?? null;
      const since = lastCompleted ?? tenant.createdAt;
      if (now.getTime() - since.getTime() <= STALE_AFTER_MS) continue;
      const fingerprint = lastCompleted?.toISOString() ?? 'never';
      const state = await this.config.findState(tenant.id, 'backup.stale');
      if (state?.fingerprint === fingerprint) continue;
      const hours = Math.floor((now.getTime() - since.getTime()) / 3_600_000);
      await this.raise(tenant.id, {
        kind: 'backup.stale',
        subject: `No successful backup for ${hours} hours`,
        body:
          (lastCompleted === null
            ? `There has been no completed backup since the tenant was added ${hours} hours ago.`
            : `The last completed backup finished ${lastCompleted.toISOString()}, ${hours} hours ago.`) +
          '\nCheck the recent runs for their failures, and that the server and its schedule are running.',
        link: `/backups?tenant=${tenant.id}`,
        data: { lastCompletedAt: lastCompleted?.toISOString() ?? null, hours },
      });
      await this.config.saveState({
        tenantId: tenant.id,
        checkKey: 'backup.stale',
        fingerprint,
        checkedAt: now,
      });
      raised += 1;
    }
    return raised;
  }

  /**
   * Reads the application permissions each consented tenant grants (at most once a day per
   * tenant) and alerts when consent was revoked or a permission the enabled types need is missing,
   * once per change of that state.
   */
  async checkConsentHealth(): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    for (const tenant of await this.tenants.listAll()) {
      const grant = await this.consent.find(tenant.id);
      if (grant === null) continue;
      const state = await this.config.findState(tenant.id, 'consent');
      if (state !== null && now.getTime() - state.checkedAt.getTime() < CONSENT_CHECK_EVERY_MS) continue;
      const health = await this.consentHealthOf(tenant.id);
      if (health === undefined) continue;
      const fingerprint = health.state === 'missing' ? `missing:${health.missing.join(',')}` : health.state;
      if (health.state !== 'ok' && state?.fingerprint !== fingerprint) {
        await this.raise(tenant.id, {
          kind: health.state === 'revoked' ? 'consent.revoked' : 'consent.missing',
          subject:
            health.state === 'revoked'
              ? 'Admin consent was revoked: backups cannot run'
              : `Permissions missing: ${health.missing.join(', ')}`,
          body:
            (health.state === 'revoked'
              ? `The tenant no longer lets the app in: ${health.detail}`
              : `The app lacks ${health.missing.join(', ')}, which the enabled object types need; their backups will fail.`) +
            '\nWhat to do: grant admin consent again in Settings.',
          link: PORTAL_PATHS.settings(tenant.id),
          data: { state: health.state, missing: health.missing },
        });
        raised += 1;
      }
      await this.config.saveState({ tenantId: tenant.id, checkKey: 'consent', fingerprint, checkedAt: now });
    }
    return raised;
  }

  /** Sends the held alerts of tenants whose last digest is a day old (or that never had one). */
  async sendDigests(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const tenantId of await this.notifications.tenantsWithHeldAlerts()) {
      const state = await this.config.findState(tenantId, 'digest');
      if (state !== null && now.getTime() - state.checkedAt.getTime() < DIGEST_EVERY_MS) continue;
      const tenant = await this.tenants.findById(tenantId);
      sent += await this.notifications.releaseDigest(tenantId, tenant?.displayName ?? tenantId);
      await this.config.saveState({ tenantId, checkKey: 'digest', fingerprint: null, checkedAt: now });
    }
    return sent;
  }

  /** The periodic checks, in order; each one's failure is logged and does not stop the others. */
  async tick(): Promise<void> {
    for (const [name, check] of [
      ['stale backups', () => this.checkStaleBackups()],
      ['consent health', () => this.checkConsentHealth()],
      ['digests', () => this.sendDigests()],
      ['deliveries', () => this.notifications.deliverDue()],
    ] as const) {
      try {
        await check();
      } catch (error) {
        this.logger.error(
          `Alert check (${name}) failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async consentHealthOf(
    tenantId: string,
  ): Promise<{ state: 'ok' | 'missing' | 'revoked'; missing: string[]; detail: string } | undefined> {
    const enabled = (await this.settings.get(tenantId)).enabledTypes;
    const required = [
      ...new Set(OBJECT_TYPE_KEYS.filter((k) => enabled[k]).flatMap((k) => [...permissionsOf(k).read])),
    ].sort();
    let granted: string[];
    try {
      granted = await this.graph.getGrantedAppRoles(tenantId);
    } catch (error) {
      const detail = error instanceof Error ? error.message.split(/\r?\n/)[0]! : String(error);
      if (REFUSED_APP.test(detail)) return { state: 'revoked', missing: required, detail };
      // An outage or a throttled token request says nothing about consent: try again next tick.
      this.logger.warn(`Consent of tenant ${tenantId} could not be read: ${detail}`);
      return undefined;
    }
    const have = new Set(granted);
    const missing = required.filter((p) => !have.has(p));
    if (granted.length === 0)
      return { state: 'revoked', missing: required, detail: 'no permission is granted' };
    return { state: missing.length === 0 ? 'ok' : 'missing', missing, detail: '' };
  }

  private async factsOf(tenantId: string, fromId: string, toId: string): Promise<DiffFacts> {
    const diff = await this.reader.diff(tenantId, fromId, toId);
    const removed: Array<{ type: ObjectTypeKey; ids: string[] }> = [];
    const objects: ObjectChange[] = [];
    for (const typeDiff of diff.types) {
      if (!isObjectTypeKey(typeDiff.type)) continue;
      const type = typeDiff.type;
      const primary = primaryCollectionName(type);
      for (const c of typeDiff.collections) {
        if (c.collection === primary && !WATCHED_LOGS.some((w) => w.type === type) && c.removed.length > 0)
          removed.push({ type, ids: c.removed });
        if (!WATCHED_COLLECTIONS.some((w) => w.type === type && w.collection === c.collection)) continue;
        const ids = [...c.added, ...c.changed.map((x) => x.id), ...c.removed];
        if (ids.length === 0) continue;
        const [before, after] = await Promise.all([
          this.reader.objectsByIds(tenantId, fromId, type, c.collection, ids),
          this.reader.objectsByIds(tenantId, toId, type, c.collection, ids),
        ]);
        for (const id of ids)
          objects.push({
            type,
            collection: c.collection,
            id,
            before: asJson(before.get(id)),
            after: asJson(after.get(id)),
          });
      }
    }
    const addedLogs: Array<{ type: ObjectTypeKey; entry: Record<string, unknown> }> = [];
    for (const { type, collection } of WATCHED_LOGS) {
      const touched = diff.types.some(
        (t) => t.type === type && t.collections.some((c) => c.collection === collection),
      );
      if (!touched) continue;
      for await (const entry of this.reader.logsAddedBetween(tenantId, fromId, toId, type)) {
        const json = asJson(entry.object);
        if (entry.collection === collection && json !== null) addedLogs.push({ type, entry: json });
      }
    }
    return { removed, objects, addedLogs };
  }

  /** Sends (or holds for the digest) an alert to the tenant's and its partner's recipients. */
  private async raise(tenantId: string, alert: Alert): Promise<void> {
    const tenant = await this.tenants.findById(tenantId);
    const name = tenant?.displayName ?? tenantId;
    const url = `${this.appConfig.auth.publicUrl.replace(/\/+$/, '')}${alert.link}`;
    const settings = await this.settingsOf(tenantId);
    const notified = await this.notifications.notify(
      {
        kind: alert.kind,
        tenantId,
        subject: `[${name}] ${alert.subject}`,
        body: `${alert.body}\n\nOpen in Entra Backup: ${url}`,
        data: { tenantName: name, url, ...alert.data },
        hold: settings.dailyDigest,
      },
      await this.recipients.targetsFor(tenantId),
    );
    // The first attempts go on in the background; `whenIdle()` waits for them too.
    this.track(notified.delivered);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.error(`Alert failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

function asJson(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
