import { DomainException } from '../../core/errors/domain.exception';

export enum HistoryExceptionCode {
  /** The object was never part of a backup of the tenant (HTTP 404). */
  HISTORY_OBJECT_NOT_FOUND = 'HISTORY_OBJECT_NOT_FOUND',
  /** Unknown object type, a collection the type does not have, a log type, or a bad date (HTTP 400). */
  HISTORY_INVALID_REQUEST = 'HISTORY_INVALID_REQUEST',
}

export class HistoryException extends DomainException<HistoryExceptionCode> {
  private constructor(code: HistoryExceptionCode, message: string) {
    super(code, message);
  }

  static objectNotFound(type: string, collection: string, objectId: string): HistoryException {
    return new HistoryException(
      HistoryExceptionCode.HISTORY_OBJECT_NOT_FOUND,
      `No backup of this tenant holds ${type}/${collection} object ${objectId}`,
    );
  }

  static invalid(message: string): HistoryException {
    return new HistoryException(HistoryExceptionCode.HISTORY_INVALID_REQUEST, message);
  }
}
