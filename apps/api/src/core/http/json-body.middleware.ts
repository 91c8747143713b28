import { HttpStatus } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { CommonErrorCode } from '../errors/error-code';
import { CommonHttpException } from '../errors/common-http.exception';

/** The largest JSON body the API reads, in bytes (1 MiB). */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const LIMIT_TEXT = '1 MB';

/** JSON, and the `+json` media types (e.g. `application/merge-patch+json`). */
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * express.json(), with its failures turned into our own exceptions. Nest's built-in parser
 * reports malformed JSON as a generic BadRequestException, which the error filter could not
 * tell apart from other 400s; this keeps the specific `MALFORMED_JSON` code. Every route of
 * the API takes JSON, so a body of any other media type is refused with 415 rather than
 * silently ignored. Both that and a declared length over the limit are refused before a byte of
 * the body is read (the parser would read, and wait for, the whole body first), and the
 * connection is closed after the answer rather than drained.
 */
export function jsonBodyMiddleware(): RequestHandler {
  const parse = express.json({ limit: JSON_BODY_LIMIT_BYTES, type: JSON_TYPES });
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasContent(req) && !req.is(JSON_TYPES)) {
      res.setHeader('Connection', 'close');
      return next(
        new CommonHttpException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
          'Request body must be JSON (Content-Type: application/json)',
        ),
      );
    }
    if (Number(req.headers['content-length'] ?? 0) > JSON_BODY_LIMIT_BYTES) {
      res.setHeader('Connection', 'close');
      return next(tooLarge());
    }
    parse(req, res, (error?: unknown) => next(error === undefined ? undefined : toBodyException(error)));
  };
}

/** Whether the request carries a non-empty body (an empty POST needs no media type). */
function hasContent(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isNaN(length) || length > 0;
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
      return tooLarge();
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
      // Anything else the parser refuses with a 4xx (a body that does not inflate, say) is the
      // client's fault too; left alone it would surface as a 500.
      return clientStatusOf(error) === undefined
        ? error
        : new CommonHttpException(
            HttpStatus.BAD_REQUEST,
            CommonErrorCode.BAD_REQUEST,
            'Request body could not be read (is its Content-Encoding right?)',
          );
  }
}

function tooLarge(): CommonHttpException {
  return new CommonHttpException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    CommonErrorCode.PAYLOAD_TOO_LARGE,
    `Request body is larger than ${LIMIT_TEXT}`,
  );
}

function clientStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
