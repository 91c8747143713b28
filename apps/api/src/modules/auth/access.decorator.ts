import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { userActor, type Actor } from '../audit/audit-action';
import type { SessionPrincipal } from './session.types';

/**
 * Who may call a route. Default (no decorator): a signed-in Global Administrator or Privileged
 * Role Administrator, within their own tenant, with the CSRF header on state-changing requests.
 */
export type AccessLevel =
  /** Anyone (health, sign-in, the session probe, the consent callback which checks its own state). */
  | 'public'
  /** Any signed-in user, admin or not (sign-out). */
  | 'session';

export const ACCESS_LEVEL_KEY = 'entra-backup:access-level';

export const Access = (level: AccessLevel) => SetMetadata(ACCESS_LEVEL_KEY, level);

/** Shorthand for `@Access('public')`. */
export const Public = () => Access('public');

/** The signed-in user of a guarded route (the global guard guarantees there is one). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionPrincipal => {
  const user = ctx.switchToHttp().getRequest<Request>().session?.user;
  if (user === undefined) throw new Error('CurrentUser used on a route without a signed-in user');
  return user;
});

/** The audit actor of a guarded route: `user:<upn>` of the signed-in user. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const user = ctx.switchToHttp().getRequest<Request>().session?.user;
  if (user === undefined) throw new Error('CurrentActor used on a route without a signed-in user');
  return userActor(user.upn);
});

/** The tenant the signed-in user may see (undefined on public routes without a session). */
export const SessionTenant = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined =>
    ctx.switchToHttp().getRequest<Request>().session?.user?.tenantId,
);
