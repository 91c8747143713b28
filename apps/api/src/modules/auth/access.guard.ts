import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CSRF_HEADER, GUID_PATTERN } from '@entra-backup/common';
import { ACCESS_LEVEL_KEY, type AccessLevel } from './access.decorator';
import { AccessService } from './access.service';
import { AuthException } from './auth.exception';
import { constantTimeEqual } from './oidc-client';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard of every API route (registered as APP_GUARD): signed in, CSRF header on
 * state-changing requests, an admin role (re-checked every few minutes), and only the session's
 * own tenant in `:tenantId` route parameters and `tenantId` bodies.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_LEVEL_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (level === 'public') return true;

    const request = context.switchToHttp().getRequest<Request>();
    const session = request.session;
    let user = session?.user;
    if (session === undefined || user === undefined) throw AuthException.authenticationRequired();

    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const sent = request.header(CSRF_HEADER);
      if (
        typeof sent !== 'string' ||
        session.csrfToken === undefined ||
        !constantTimeEqual(sent, session.csrfToken)
      ) {
        throw AuthException.csrfTokenInvalid();
      }
    }
    if (level === 'session') return true;

    const refreshed = await this.access.refreshed(user);
    if (refreshed !== user) {
      session.user = refreshed;
      user = refreshed;
    }
    if (!this.access.hasAccess(user)) throw AuthException.noAccess(user.upn);

    for (const tenantId of requestedTenants(request)) {
      if (tenantId.toLowerCase() !== user.tenantId) throw AuthException.tenantForbidden(tenantId);
    }
    return true;
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
  return ids.filter((id) => GUID_PATTERN.test(id));
}
