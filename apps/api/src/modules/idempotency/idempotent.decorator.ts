import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER } from '@entra-backup/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a POST route safe to retry: with an `Idempotency-Key` header, a repeat of the key (same
 * principal, same route, same body) gets the first answer back and the work is not done again.
 * One line on a route: `@Idempotent()`. (The OpenAPI document adds its 409 and 422 answers to
 * every operation with the header, so they do not replace the route's own 409 description.)
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'A key of your choosing (e.g. a UUID, at most 255 characters) that makes the request safe to retry: ' +
        'repeating it (same caller, route and body) within 24 hours returns the first answer, with ' +
        '`Idempotent-Replayed: true`, and does not do the work again. If the first request failed, the key ' +
        'can be used again.',
      schema: { type: 'string', maxLength: 255 },
    }),
  );
