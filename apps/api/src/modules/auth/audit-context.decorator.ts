import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { type AuditContext, auditContextOf } from '../audit/audit-context';
import { principalOf } from './access.decorator';

/**
 * Who calls, for the audit trail: the principal's actor and kind and the caller's address. A
 * handler passes it to the service that records the event.
 */
export const CurrentAuditContext = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditContext => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (principal === undefined) throw new Error('CurrentAuditContext used on a route without a principal');
  return auditContextOf(principal);
});
