import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { correlationIdOf } from '../correlation/correlation-id.middleware';
import { redactUrl } from '../logging/redact';
import { CommonHttpException } from './common-http.exception';
import { httpStatusOfDomainCode } from './domain-error-status';
import { DomainException } from './domain.exception';
import { CommonErrorCode } from './error-code';
import { describeZodIssues } from './validation-message';

export interface ErrorResponseBody {
  statusCode: number;
  code: string;
  message: string;
  correlationId: string;
}

interface Classified {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

const CODE_BY_STATUS: Partial<Record<number, CommonErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: CommonErrorCode.BAD_REQUEST,
  [HttpStatus.NOT_FOUND]: CommonErrorCode.NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: CommonErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.PAYLOAD_TOO_LARGE]: CommonErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  [HttpStatus.SERVICE_UNAVAILABLE]: CommonErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * Turns every error into `{ statusCode, code, message, correlationId }`. Domain exceptions keep
 * their code, validation errors name every bad field, and anything unexpected becomes a 500
 * whose body reveals nothing while the stack goes to the log.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(GlobalExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const classified = this.classify(exception);
    const correlationId = correlationIdOf(request, response);

    if (classified.statusCode >= 500 && classified.code === CommonErrorCode.INTERNAL_ERROR) {
      this.logger.error(
        { err: exception, correlationId, method: request.method, url: redactUrl(request.originalUrl) },
        'Unhandled error',
      );
    }
    if (exception instanceof CommonHttpException) {
      // Raised by the body parser before the request logger runs, so this is its only trace.
      this.logger.warn(
        { correlationId, method: request.method, url: redactUrl(request.originalUrl), code: classified.code },
        classified.message,
      );
    }
    if (response.headersSent) return;
    const body: ErrorResponseBody = { ...classified, correlationId };
    response.status(classified.statusCode).json(body);
  }

  private classify(exception: unknown): Classified {
    if (exception instanceof DomainException) {
      return {
        statusCode: httpStatusOfDomainCode(exception.code),
        code: exception.code,
        message: exception.message,
      };
    }
    if (exception instanceof ZodValidationException) {
      const error = exception.getZodError();
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        code: CommonErrorCode.VALIDATION_FAILED,
        message: error instanceof ZodError ? describeZodIssues(error.issues) : 'Request validation failed',
      };
    }
    if (exception instanceof CommonHttpException) {
      return { statusCode: exception.getStatus(), code: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      return {
        statusCode,
        code:
          CODE_BY_STATUS[statusCode] ??
          (statusCode >= 500 ? CommonErrorCode.INTERNAL_ERROR : CommonErrorCode.BAD_REQUEST),
        message:
          statusCode >= 500 && statusCode !== 503 ? 'An unexpected error occurred' : messageOf(exception),
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: CommonErrorCode.INTERNAL_ERROR,
      message: 'An unexpected error occurred',
    };
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) {
    const { message, error, details } = response as { message?: unknown; error?: unknown; details?: unknown };
    // @nestjs/terminus reports failed indicators as `{ status: 'error', error: { database: {...} } }`.
    if (typeof details === 'object' && details !== null && typeof error === 'object' && error !== null) {
      return `Unhealthy: ${Object.keys(error).join(', ')}`;
    }
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
  }
  return exception.message;
}
