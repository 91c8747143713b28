import { clientAddress } from '../../core/http/client-address';
import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { API_KEY_PATTERN } from '@entra-backup/common';
import { PartnerRepository, TenantRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import { ANONYMOUS_ACTOR, type AuditContext, auditContextOf } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { principalOf } from './access.decorator';
import { AuthException, AuthExceptionCode } from './auth.exception';

/** The guard's refusals that go into the audit trail: missing, bad or insufficient credentials. */
const AUDITED_CODES: ReadonlySet<string> = new Set([
  AuthExceptionCode.AUTHENTICATION_REQUIRED,
  AuthExceptionCode.API_KEY_INVALID,
  AuthExceptionCode.NO_ACCESS,
  AuthExceptionCode.TENANT_FORBIDDEN,
  AuthExceptionCode.PERMISSION_DENIED,
  AuthExceptionCode.CSRF_TOKEN_INVALID,
]);

/**
 * Records the access guard's 401/403 refusals of requests that name a registered tenant or an
 * existing partner (`access.refused`), under that tenant or partner, so its admins see who tried.
 * The event holds the caller, the route and the refusal's code: no data of the tenant. Writing it
 * never changes the answer: a failure to record is logged and the refusal goes out as it was.
 */
@Injectable()
export class AccessRefusals {
  private readonly logger = new Logger(AccessRefusals.name);

  constructor(
    private readonly audit: AuditService,
    private readonly tenants: TenantRepository,
    private readonly partners: PartnerRepository,
  ) {}

  async record(request: Request, tenantIds: readonly string[], error: unknown): Promise<void> {
    if (!(error instanceof AuthException) || !AUDITED_CODES.has(error.code)) return;
    try {
      const partnerParam = request.params?.['partnerId'];
      const targets: Array<{ tenantId: string | null; partnerId: string | null }> = [];
      for (const tenantId of tenantIds) {
        if ((await this.tenants.findById(tenantId)) !== null) targets.push({ tenantId, partnerId: null });
      }
      if (typeof partnerParam === 'string' && (await this.partners.findById(partnerParam)) !== null) {
        targets.push({ tenantId: null, partnerId: partnerParam });
      }
      if (targets.length === 0) return;
      const by = callerOf(request);
      const details = {
        method: request.method,
        route: `/${String(request.route?.path ?? request.path).replace(/^\//, '')}`,
        code: error.code,
        reason: error.message,
      };
      for (const target of targets) {
        await this.audit.record({
          actor: by,
          action: AuditAction.ACCESS_REFUSED,
          outcome: 'refused',
          ...target,
          details,
        });
      }
    } catch (failure) {
      this.logger.warn(
        `Could not record a refused request in the audit trail: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    }
  }
}

/** The resolved principal, else the key a refused bearer token names (its public prefix), else anonymous. */
function callerOf(request: Request): AuditContext {
  const principal = principalOf(request);
  if (principal !== undefined) return auditContextOf(principal);
  const address = clientAddress(request);
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '')?.[1];
  const prefix = token === undefined ? undefined : API_KEY_PATTERN.exec(token)?.[1];
  return prefix === undefined
    ? { actor: ANONYMOUS_ACTOR, principalKind: 'anonymous', address }
    : { actor: `key:eb_${prefix}`, principalKind: 'api-key', address };
}
