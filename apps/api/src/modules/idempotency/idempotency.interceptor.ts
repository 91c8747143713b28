import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_REPLAYED_HEADER } from '@entra-backup/common';
import { catchError, from, mergeMap, type Observable, of, throwError } from 'rxjs';
import { principalOf } from '../auth/access.decorator';
import { IdempotencyService } from './idempotency.service';

/**
 * Runs a route at most once per `Idempotency-Key` (per principal and route); see
 * `IdempotencyService`. Requests without the header run as usual. Apply it with `@Idempotent()`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    const principal = principalOf(request);
    if (key === undefined || principal === undefined) return next.handle();
    const decision = await this.idempotency.begin(
      {
        principal: `${principal.kind}:${principal.id}`,
        // `request.path` is after the `/api/v1` → `/api` rewrite, so both paths share keys.
        route: `${request.method.toUpperCase()} ${request.path.toLowerCase()}`,
        key,
      },
      request.body,
    );
    const response = http.getResponse<Response>();
    if (decision.kind === 'replay') {
      response.status(decision.status);
      response.setHeader(IDEMPOTENCY_REPLAYED_HEADER, 'true');
      return of(decision.body);
    }
    const { scopeHash } = decision;
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          this.idempotency.complete(scopeHash, response.statusCode, body).then(
            () => body,
            (error: unknown) => {
              // The work is done; a repeat will be told it is in progress until the claim goes stale.
              this.logger.error({ err: error }, 'Could not store the answer of an idempotent request');
              return body;
            },
          ),
        ),
      ),
      catchError((error: unknown) =>
        from(this.idempotency.release(scopeHash).catch(() => undefined)).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
