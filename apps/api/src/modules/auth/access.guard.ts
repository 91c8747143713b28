import { clientAddress } from '../../core/http/client-address';
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { CSRF_HEADER, GUID_PATTERN, type Permission } from '@entra-backup/common';
import {
  ACCESS_LEVEL_KEY,
  type AccessLevel,
  attachPrincipal,
  REQUIRED_PERMISSION_KEY,
} from './access.decorator';
import { allowsOnPartner, allowsOnTenant, holdsAnywhere, permissionsOnTenant } from './access-policy';
import { AccessRefusals } from './access-refusals';
import { AccessService, ROLE_RECHECK_MS, STATE_CHANGE_ROLE_RECHECK_MS } from './access.service';
import { AuthException } from './auth.exception';
import { KeyRateLimiter } from './key-rate-limiter';
import { constantTimeEqual } from './oidc-client';
import type { Principal } from './principal';
import { PrincipalResolver } from './principal-resolver.service';
import { TenantAccess } from './tenant-access.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard of every API route (registered as APP_GUARD), and the one place that checks
 * `permission × tenant`: it resolves the principal (API key, signed-in person, break-glass
 * account), asks for the CSRF header on a session's state-changing requests, and allows a route's
 * `@Requires(permission)` only on the tenants (`:tenantId`, body `tenantId`) and partners
 * (`:partnerId`) the principal holds it on. Refusals carry no data of the tenant.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    private readonly resolver: PrincipalResolver,
    private readonly tenants: TenantAccess,
    private readonly rateLimiter: KeyRateLimiter,
    private readonly refusals: AccessRefusals,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    try {
      return await this.check(context);
    } catch (error) {
      // Refusals of a tenant's or partner's routes go into its audit trail.
      const request = context.switchToHttp().getRequest<Request>();
      await this.refusals.record(request, requestedTenants(request), error);
      throw error;
    }
  }

  private async check(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_LEVEL_KEY, targets);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION_KEY,
      targets,
    );
    const request = context.switchToHttp().getRequest<Request>();

    const bearer = level === 'public' ? undefined : PrincipalResolver.bearerOf(request);
    const principal = await this.principalOf(request, bearer);
    if (principal !== undefined) attachPrincipal(request, principal);
    if (level === 'public') return true;
    if (principal === undefined) throw AuthException.authenticationRequired();
    if (principal.kind === 'api-key') {
      await this.countKeyRequest(principal, context.switchToHttp().getResponse<Response>());
    }

    // A bearer key is not sent by browsers on their own, so only cookie sessions need the token.
    if (bearer === undefined && !SAFE_METHODS.has(request.method.toUpperCase())) {
      const session = request.session;
      const sent = request.header(CSRF_HEADER);
      if (
        typeof sent !== 'string' ||
        session?.csrfToken === undefined ||
        !constantTimeEqual(sent, session.csrfToken)
      ) {
        throw AuthException.csrfTokenInvalid();
      }
    }
    if (level === 'session') return true;
    if (permission === undefined) {
      this.logger.error(
        { route: `${request.method} ${request.route?.path ?? request.path}` },
        'Route has no access rule (@Public, @Access or @Requires); refusing it',
      );
      throw AuthException.permissionDenied('an access rule of its own');
    }
    if (principal.grants.length === 0) throw AuthException.noAccess(principal.id);

    await this.authorize(principal, permission, request);
    return true;
  }

  /** Every request of a key counts against its own rate limit, refused ones included. */
  private async countKeyRequest(principal: Principal, response: Response): Promise<void> {
    const verdict = await this.rateLimiter.admit(principal.id);
    if (verdict.limit === 0) return;
    response.setHeader('RateLimit-Limit', String(verdict.limit));
    if (verdict.allowed) {
      response.setHeader('RateLimit-Remaining', String(verdict.remaining));
      return;
    }
    response.setHeader('RateLimit-Remaining', '0');
    response.setHeader('Retry-After', String(verdict.retryAfterSeconds));
    throw AuthException.rateLimited(verdict.limit, verdict.retryAfterSeconds);
  }

  private async principalOf(request: Request, bearer: string | undefined): Promise<Principal | undefined> {
    const address = clientAddress(request);
    if (bearer !== undefined) return this.resolver.fromApiKey(bearer, address);
    const session = request.session;
    if (session?.user !== undefined) {
      const before = session.user;
      const maxAge = SAFE_METHODS.has(request.method.toUpperCase())
        ? ROLE_RECHECK_MS
        : STATE_CHANGE_ROLE_RECHECK_MS;
      const refreshed = await this.access.refreshed(before, false, maxAge);
      if (refreshed !== before) session.user = refreshed;
      const principal = await this.resolver.fromSessionUser(refreshed, address);
      if (
        this.access.hasAccess(before) &&
        !this.access.hasAccess(refreshed) &&
        principal.grants.length === 0
      ) {
        // The admin role is gone and nothing else (partner staff) gives access: the session ends
        // here rather than lingering as a session without rights.
        this.logger.log(
          { upn: before.upn, tenantId: before.tenantId },
          'Admin role removed; ending the session',
        );
        await new Promise<void>((resolve, reject) =>
          session.destroy((err) => (err ? reject(err) : resolve())),
        );
        throw AuthException.sessionEnded();
      }
      return principal;
    }
    if (session?.emergency !== undefined) return this.resolver.fromEmergency(session.emergency, address);
    return undefined;
  }

  private async authorize(principal: Principal, permission: Permission, request: Request): Promise<void> {
    const tenantIds = requestedTenants(request);
    for (const tenantId of tenantIds) {
      const tenant = await this.tenants.tenantRef(tenantId);
      if (allowsOnTenant(principal, permission, tenant)) continue;
      // Someone who may see the tenant learns which permission is missing; anyone else only
      // that the tenant is not theirs.
      if (permissionsOnTenant(principal, tenant).length > 0) throw AuthException.permissionDenied(permission);
      throw AuthException.tenantForbidden(tenantId);
    }
    const partnerId = request.params?.['partnerId'];
    if (typeof partnerId === 'string') {
      if (!allowsOnPartner(principal, permission, partnerId)) {
        if (allowsOnPartner(principal, 'tenants:read', partnerId))
          throw AuthException.permissionDenied(permission);
        throw AuthException.partnerForbidden(partnerId);
      }
      return;
    }
    if (tenantIds.length === 0 && !holdsAnywhere(principal, permission)) {
      throw AuthException.permissionDenied(permission);
    }
  }
}

/**
 * Tenant ids a request names: the `:tenantId` route parameter and a `tenantId` in a JSON body.
 * Values that are not GUIDs name no tenant; validation answers them with 400 after the guard.
 */
function requestedTenants(request: Request): string[] {
  const ids: string[] = [];
  const param = request.params?.['tenantId'];
  if (typeof param === 'string') ids.push(param);
  const body: unknown = request.body;
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { tenantId?: unknown }).tenantId === 'string'
  ) {
    ids.push((body as { tenantId: string }).tenantId);
  }
  return [...new Set(ids.filter((id) => GUID_PATTERN.test(id)).map((id) => id.toLowerCase()))];
}
