import { HttpException, type HttpStatus } from '@nestjs/common';
import type { CommonErrorCode } from './error-code';

/** An HTTP-level failure (not a domain rule) that carries its own error code. */
export class CommonHttpException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: CommonErrorCode,
    message: string,
  ) {
    super(message, status);
  }
}
