import { DomainException } from '../../core/errors/domain.exception';

export enum IdempotencyExceptionCode {
  /** The `Idempotency-Key` header is empty, too long or not printable ASCII (HTTP 400). */
  IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  /** The key was used on this route with another request body (HTTP 422). */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this key is still running (HTTP 409); retry shortly. */
  IDEMPOTENCY_REQUEST_IN_PROGRESS = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
}

export class IdempotencyException extends DomainException<IdempotencyExceptionCode> {
  private constructor(code: IdempotencyExceptionCode, message: string) {
    super(code, message);
  }

  static invalidKey(): IdempotencyException {
    return new IdempotencyException(
      IdempotencyExceptionCode.IDEMPOTENCY_KEY_INVALID,
      'Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice)',
    );
  }

  static reused(): IdempotencyException {
    return new IdempotencyException(
      IdempotencyExceptionCode.IDEMPOTENCY_KEY_REUSED,
      'This Idempotency-Key was already used on this route with a different request body; use a new key for a new request',
    );
  }

  static inProgress(): IdempotencyException {
    return new IdempotencyException(
      IdempotencyExceptionCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
      'The first request with this Idempotency-Key is still being processed; retry in a moment to get its answer',
    );
  }
}
