import { PORTAL_ADMIN_ROLES } from '@entra-backup/common';
import { GraphAuthenticationError, GraphRequestError } from '@entra-backup/graph';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../core/clock';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import type { VerifiedIdentity } from './oidc-client';
import type { RoleEvidence, SessionPrincipal } from './session.types';
import { TenantDirectory } from './tenant-directory';

/** A session's role check is repeated after this long on reads, so a removed admin loses access soon. */
export const ROLE_RECHECK_MS = 10 * 60_000;
/**
 * ...and after this long on state-changing requests: a removed admin changes nothing more than
 * half a minute after the removal, while a burst of changes costs one directory read.
 */
export const STATE_CHANGE_ROLE_RECHECK_MS = 30_000;

/**
 * Decides who may use the portal: the tenant's Global Administrators and Privileged Role
 * Administrators. After admin consent the role is confirmed server-side from the tenant's role
 * assignments (Graph, with the app's token). Before consent the app has no token for the tenant,
 * so the `wids` claim of the validated ID token is the only evidence there is; the same holds
 * when the tenant refuses the role read (consent revoked), so that its admins can still reach
 * Settings to grant consent again. Both cases are recorded as `evidence: 'wids'`.
 */
@Injectable()
export class AccessService {
  private readonly logger = new Logger(AccessService.name);

  constructor(
    private readonly directory: TenantDirectory,
    private readonly grants: ConsentGrantsService,
    private readonly clock: Clock,
  ) {}

  async principalFor(identity: VerifiedIdentity): Promise<SessionPrincipal> {
    const { roleIds, evidence } = await this.roleIdsOf(identity);
    return {
      tenantId: identity.tenantId,
      objectId: identity.objectId,
      name: identity.name,
      upn: identity.upn,
      wids: [...identity.wids],
      roles: PORTAL_ADMIN_ROLES.filter((r) => roleIds.has(r.templateId)).map((r) => r.name),
      evidence,
      checkedAt: this.clock.now().getTime(),
    };
  }

  /**
   * The principal with a fresh role check when the last one is older than `maxAgeMs` (always
   * with `force`). When the directory cannot be asked right now (outage), the session keeps its
   * last answer and the check is tried again on the next request, rather than locking admins out.
   */
  async refreshed(
    principal: SessionPrincipal,
    force = false,
    maxAgeMs = ROLE_RECHECK_MS,
  ): Promise<SessionPrincipal> {
    if (!force && this.clock.now().getTime() - principal.checkedAt < maxAgeMs) return principal;
    try {
      return await this.principalFor(principal);
    } catch (error) {
      this.logger.warn(
        { tenantId: principal.tenantId, reason: error instanceof Error ? error.message : String(error) },
        'Role re-check failed; keeping the previous answer for now',
      );
      return principal;
    }
  }

  hasAccess(principal: SessionPrincipal): boolean {
    return principal.roles.length > 0;
  }

  private async roleIdsOf(
    identity: VerifiedIdentity,
  ): Promise<{ roleIds: Set<string>; evidence: RoleEvidence }> {
    const fromToken = {
      roleIds: new Set(identity.wids.map((w) => w.toLowerCase())),
      evidence: 'wids' as const,
    };
    if (!(await this.grants.isGranted(identity.tenantId))) return fromToken;
    try {
      const ids = await this.directory.userRoleTemplateIds(identity.tenantId, identity.objectId);
      return { roleIds: new Set(ids), evidence: 'directory' };
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.logger.warn(
        { tenantId: identity.tenantId, reason: error instanceof Error ? error.message : String(error) },
        'The tenant refused the role-assignment read; falling back to the ID token wids claim',
      );
      return fromToken;
    }
  }
}

/** The tenant refused the app (consent revoked, permission removed), as opposed to an outage. */
function isRefusal(error: unknown): boolean {
  if (error instanceof GraphAuthenticationError) return !error.transient;
  if (error instanceof GraphRequestError) return error.status === 401 || error.status === 403;
  return false;
}
