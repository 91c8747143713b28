import { Injectable } from '@nestjs/common';
import type {
  ExecuteRestoreResponse,
  RestoreAction,
  RestoreActionPage,
  RestoreCredential,
  RestorePlanRequest,
  RestorePlanSummary,
  RestoreProgressEvent,
  RestoreRun,
  RestoreRunPage,
} from '@entra-backup/common';
import type { Observable } from 'rxjs';
import type { Actor } from '../audit/audit-action';
import type { CreatePlanOptions, PageQuery, RunRestoreOptions } from './restore.types';

const NOT_HERE = 'RestoreService is provided by the restore engine';

/** The restore engine's public API (see restore-contract.md). */
@Injectable()
export class RestoreService {
  createPlan(
    _tenantId: string,
    _request: RestorePlanRequest,
    _options: CreatePlanOptions,
  ): Promise<RestorePlanSummary> {
    throw new Error(NOT_HERE);
  }

  getPlan(_tenantId: string, _planId: string): Promise<RestorePlanSummary> {
    throw new Error(NOT_HERE);
  }

  listPlanActions(_tenantId: string, _planId: string, _query: PageQuery): Promise<RestoreActionPage> {
    throw new Error(NOT_HERE);
  }

  planActions(_tenantId: string, _planId: string): AsyncIterable<RestoreAction> {
    throw new Error(NOT_HERE);
  }

  executePlan(_tenantId: string, _planId: string, _options: RunRestoreOptions): Promise<RestoreRun> {
    throw new Error(NOT_HERE);
  }

  startExecute(_tenantId: string, _planId: string, _actor: Actor): Promise<ExecuteRestoreResponse> {
    throw new Error(NOT_HERE);
  }

  resume(_restoreId: string, _options: RunRestoreOptions): Promise<RestoreRun> {
    throw new Error(NOT_HERE);
  }

  listRestores(_tenantId: string, _query: PageQuery): Promise<RestoreRunPage> {
    throw new Error(NOT_HERE);
  }

  getRestore(_tenantId: string, _restoreId: string): Promise<RestoreRun> {
    throw new Error(NOT_HERE);
  }

  listRestoreActions(_tenantId: string, _restoreId: string, _query: PageQuery): Promise<RestoreActionPage> {
    throw new Error(NOT_HERE);
  }

  progress(_tenantId: string, _restoreId: string): Observable<RestoreProgressEvent> {
    throw new Error(NOT_HERE);
  }

  takeCredentials(_tenantId: string, _restoreId: string, _actor: Actor): Promise<RestoreCredential[]> {
    throw new Error(NOT_HERE);
  }
}
