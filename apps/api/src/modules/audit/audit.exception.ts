import { DomainException } from '../../core/errors/domain.exception';

export enum AuditExceptionCode {
  /** The `cursor` of an audit page is not one this service handed out (HTTP 400). */
  AUDIT_INVALID_CURSOR = 'AUDIT_INVALID_CURSOR',
}

export class AuditException extends DomainException<AuditExceptionCode> {
  private constructor(code: AuditExceptionCode, message: string) {
    super(code, message);
  }

  static invalidCursor(): AuditException {
    return new AuditException(
      AuditExceptionCode.AUDIT_INVALID_CURSOR,
      'The cursor is not valid: pass the nextCursor of the previous page unchanged',
    );
  }
}
