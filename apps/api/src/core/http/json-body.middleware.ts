import { HttpStatus } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { CommonErrorCode } from '../errors/error-code';
import { CommonHttpException } from '../errors/common-http.exception';

export const JSON_BODY_LIMIT = '1mb';

/**
 * express.json(), with its failures turned into our own exceptions. Nest's built-in parser
 * reports malformed JSON as a generic BadRequestException, which the error filter could not
 * tell apart from other 400s; this keeps the specific `MALFORMED_JSON` code.
 */
export function jsonBodyMiddleware(limit: string = JSON_BODY_LIMIT): RequestHandler {
  const parse = express.json({ limit });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (error?: unknown) => next(error === undefined ? undefined : toBodyException(error)));
  };
}

function toBodyException(error: unknown): unknown {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new CommonHttpException(
        HttpStatus.BAD_REQUEST,
        CommonErrorCode.MALFORMED_JSON,
        'Request body is not valid JSON',
      );
    case 'entity.too.large':
      return new CommonHttpException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        CommonErrorCode.PAYLOAD_TOO_LARGE,
        `Request body is larger than ${JSON_BODY_LIMIT}`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CommonHttpException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Request body must be UTF-8 JSON',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new CommonHttpException(
        HttpStatus.BAD_REQUEST,
        CommonErrorCode.BAD_REQUEST,
        'Request body was incomplete',
      );
    default:
      return error;
  }
}
