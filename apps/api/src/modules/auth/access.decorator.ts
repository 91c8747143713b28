import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Permission } from '@entra-backup/common';
import type { Request } from 'express';
import type { Actor } from '../audit/audit-action';
import type { Principal } from './principal';
import type { SessionPrincipal } from './session.types';

/**
 * Who may call a route. Every route says it: `@Public()`, `@Access('session')` or
 * `@Requires(permission)`. A route with none of them is refused (the guard fails closed).
 */
export type AccessLevel =
  /** Anyone (health, sign-in, the session probe, the consent callback which checks its own state). */
  | 'public'
  /** Any signed-in principal, whatever it may do (sign-out). */
  | 'session';

export const ACCESS_LEVEL_KEY = 'entra-backup:access-level';
export const REQUIRED_PERMISSION_KEY = 'entra-backup:required-permission';
/** The OpenAPI extension naming the permission an operation needs (`public` and `session` too). */
export const OPENAPI_PERMISSION_EXTENSION = 'x-required-permission';

export const Access = (level: AccessLevel) =>
  applyDecorators(SetMetadata(ACCESS_LEVEL_KEY, level), ApiExtension(OPENAPI_PERMISSION_EXTENSION, level));

/** Shorthand for `@Access('public')`. */
export const Public = () => Access('public');

/**
 * The permission a route needs, on the tenant its `:tenantId` (or body `tenantId`) names, on the
 * partner its `:partnerId` names, or, for routes that name neither, on some tenant (the handler
 * then narrows what it answers to the principal's tenants).
 */
export const Requires = (permission: Permission) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION_KEY, permission),
    ApiExtension(OPENAPI_PERMISSION_EXTENSION, permission),
  );

/** The request's principal, resolved by the access guard. */
export function principalOf(request: Request): Principal | undefined {
  return (request as Request & { principal?: Principal }).principal;
}

export function attachPrincipal(request: Request, principal: Principal): void {
  (request as Request & { principal?: Principal }).principal = principal;
}

/** The calling principal of a guarded route (the global guard guarantees there is one). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (principal === undefined) throw new Error('CurrentPrincipal used on a route without a principal');
  return principal;
});

/** The calling principal when there is one (public routes). */
export const OptionalPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    principalOf(ctx.switchToHttp().getRequest<Request>()),
);

/** The audit actor of a guarded route: `user:<upn>`, `key:eb_<prefix>` or `emergency:<name>`. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (principal === undefined) throw new Error('CurrentActor used on a route without a principal');
  return principal.actor;
});

/** The signed-in Microsoft 365 user of a route only people may call (consent). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionPrincipal => {
  const user = principalOf(ctx.switchToHttp().getRequest<Request>())?.user;
  if (user === undefined) throw new Error('CurrentUser used on a route without a signed-in user');
  return user;
});
