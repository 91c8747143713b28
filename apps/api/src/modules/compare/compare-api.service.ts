import { Injectable } from '@nestjs/common';
import {
  COMPARE_LIVE,
  type CompareObjectPage,
  type CompareObjectsQuery,
  type CompareQuery,
  type CompareSummary,
  type StartLiveCompareRequest,
} from '@entra-backup/common';
import { type Actor, AuditAction } from '../audit/audit-action';
import { actorOf, type AuditedBy } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { CompareException } from './compare.exception';
import { type CompareDownload } from './compare-download';
import { CompareService } from './compare.service';

/**
 * Comparisons as the portal asks for them: reading the live tenant needs the admin consent the
 * portal records (the command line, run with the app's own credentials, does not ask for it).
 */
@Injectable()
export class CompareApiService {
  constructor(
    private readonly compare: CompareService,
    private readonly consent: ConsentGrantsService,
    private readonly audit: AuditService,
  ) {}

  async summary(tenantId: string, query: CompareQuery, actor: Actor): Promise<CompareSummary> {
    await this.consentedIfLive(tenantId, query.to);
    return this.compare.summary(tenantId, query, actor);
  }

  async objects(tenantId: string, query: CompareObjectsQuery, actor: Actor): Promise<CompareObjectPage> {
    await this.consentedIfLive(tenantId, query.to);
    return this.compare.objects(tenantId, query, actor);
  }

  /** The comparison for a CSV or JSON download, recorded in the audit trail before the first byte. */
  async download(
    tenantId: string,
    query: CompareQuery,
    by: AuditedBy,
    format: 'csv' | 'json',
  ): Promise<CompareDownload> {
    await this.consentedIfLive(tenantId, query.to);
    const download = await this.compare.download(tenantId, query, actorOf(by));
    await this.audit.record({
      actor: by,
      action: AuditAction.EXPORT_DOWNLOADED,
      tenantId: tenantId.toLowerCase(),
      details: {
        kind: 'comparison',
        format,
        from: download.summary.from.snapshotId,
        to: download.summary.to.snapshotId,
        types: download.summary.types.map((t) => t.type),
      },
    });
    return download;
  }

  /** @throws CompareException CONSENT_REQUIRED before admin consent, BACKUP_ALREADY_RUNNING while a backup runs */
  async startLiveRead(
    tenantId: string,
    request: StartLiveCompareRequest,
    actor: Actor,
  ): Promise<{ runId: string }> {
    await this.consented(tenantId);
    return this.compare.startLiveRead(tenantId, request, actor);
  }

  private async consentedIfLive(tenantId: string, to: string): Promise<void> {
    if (to === COMPARE_LIVE) await this.consented(tenantId);
  }

  private async consented(tenantId: string): Promise<void> {
    if (!(await this.consent.isGranted(tenantId))) throw CompareException.consentRequired();
  }
}
