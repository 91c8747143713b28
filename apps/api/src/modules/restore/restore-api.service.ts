import { Injectable } from '@nestjs/common';
import type {
  ExecuteRestoreRequest,
  ExecuteRestoreResponse,
  ListRestoreActionsQuery,
  ListRestoresQuery,
  RestoreActionPage,
  RestoreCredentialList,
  RestorePlanRequest,
  RestorePlanSummary,
  RestoreProgressEvent,
  RestoreRun,
  RestoreRunPage,
  RestoreUndo,
} from '@entra-backup/common';
import type { Observable } from 'rxjs';
import type { AuditedBy } from '../audit/audit-context';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { RestoreApiException } from './restore-api.exception';
import { RestoreService } from './restore.service';
import { undoRequestOf } from './restore-undo';

/** Who calls, and whether they may restore into (and take passwords of) a given tenant. */
export interface RestoreCaller {
  /** Who calls, for the audit trail (the request's actor, kind and address). */
  readonly actor: AuditedBy;
  readonly mayRestoreInto: (tenantId: string) => Promise<boolean>;
}

/**
 * Restores as the API sees them. Nothing here writes into, or hands out passwords of, a tenant the
 * caller may not restore into: a tenant's admin restores within their tenant, a partner's staff
 * across the partner's customers. Plans and restores a CLI user made into another tenant stay
 * readable (they are the source tenant's history).
 */
@Injectable()
export class RestoreApiService {
  constructor(
    private readonly restores: RestoreService,
    private readonly consent: ConsentGrantsService,
  ) {}

  /**
   * Computes what restoring the selection would do; writes nothing to the tenant.
   * @throws RestoreApiException TENANT_FORBIDDEN for a target other than the caller's tenant,
   * CONSENT_REQUIRED before admin consent
   */
  async createPlan(
    tenantId: string,
    request: RestorePlanRequest,
    caller: RestoreCaller,
  ): Promise<RestorePlanSummary> {
    if (request.targetTenantId !== undefined) await this.assertMayRestoreInto(request.targetTenantId, caller);
    await this.assertConsent(tenantId);
    return this.restores.createPlan(tenantId, request, { actor: caller.actor });
  }

  getPlan(tenantId: string, planId: string): Promise<RestorePlanSummary> {
    return this.restores.getPlan(tenantId, planId);
  }

  listPlanActions(
    tenantId: string,
    planId: string,
    query: ListRestoreActionsQuery,
  ): Promise<RestoreActionPage> {
    return this.restores.listPlanActions(tenantId, planId, { page: query.page, pageSize: query.pageSize });
  }

  /**
   * Executes a plan in the background.
   * @throws RestoreApiException TENANT_FORBIDDEN for a plan (made on the command line) that writes
   * into another tenant, CONSENT_REQUIRED before admin consent
   */
  async startExecute(
    tenantId: string,
    request: ExecuteRestoreRequest,
    caller: RestoreCaller,
  ): Promise<ExecuteRestoreResponse> {
    await this.assertConsent(tenantId);
    const plan = await this.restores.getPlan(tenantId, request.planId);
    await this.assertMayRestoreInto(plan.targetTenantId, caller);
    return this.restores.startExecute(tenantId, request.planId, caller.actor);
  }

  listRestores(tenantId: string, query: ListRestoresQuery): Promise<RestoreRunPage> {
    return this.restores.listRestores(tenantId, { page: query.page, pageSize: query.pageSize });
  }

  getRestore(tenantId: string, restoreId: string): Promise<RestoreRun> {
    return this.restores.getRestore(tenantId, restoreId);
  }

  /**
   * The plan request that undoes a restore (restores its pre-restore backup).
   * @throws RestoreException RESTORE_UNDO_UNAVAILABLE when it cannot be undone from this tenant
   */
  async undo(tenantId: string, restoreId: string): Promise<RestoreUndo> {
    const run = await this.restores.getRestore(tenantId, restoreId);
    const plan = await this.restores.getPlan(tenantId, run.planId);
    return undoRequestOf(tenantId, run, plan);
  }

  listRestoreActions(
    tenantId: string,
    restoreId: string,
    query: ListRestoreActionsQuery,
  ): Promise<RestoreActionPage> {
    return this.restores.listRestoreActions(tenantId, restoreId, {
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  /**
   * Progress of a restore until it ends.
   * @throws RestoreException RESTORE_NOT_FOUND before any event, so the caller can answer 404
   * (once a server-sent event stream has begun, its status is already 200)
   */
  async progress(tenantId: string, restoreId: string): Promise<Observable<RestoreProgressEvent>> {
    await this.restores.getRestore(tenantId, restoreId);
    return this.restores.progress(tenantId, restoreId);
  }

  /**
   * The temporary passwords of the users the restore re-created, handed out once.
   * @throws RestoreApiException TENANT_FORBIDDEN when the users live in another tenant than the
   * caller's (a restore made on the command line)
   * @throws RestoreException RESTORE_CREDENTIALS_GONE when already handed out
   */
  async takeCredentials(
    tenantId: string,
    restoreId: string,
    caller: RestoreCaller,
  ): Promise<RestoreCredentialList> {
    const run = await this.restores.getRestore(tenantId, restoreId);
    await this.assertMayRestoreInto(run.targetTenantId, caller);
    return { items: await this.restores.takeCredentials(tenantId, restoreId, caller.actor) };
  }

  private async assertMayRestoreInto(targetTenantId: string, caller: RestoreCaller): Promise<void> {
    if (!(await caller.mayRestoreInto(targetTenantId.toLowerCase()))) {
      throw RestoreApiException.crossTenantForbidden(targetTenantId);
    }
  }

  private async assertConsent(tenantId: string): Promise<void> {
    if (!(await this.consent.isGranted(tenantId))) throw RestoreApiException.consentRequired();
  }
}
