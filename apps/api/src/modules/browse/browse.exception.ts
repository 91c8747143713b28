import { DomainException } from '../../core/errors/domain.exception';

export enum BrowseExceptionCode {
  /** The type key is not one of the 14 object types (HTTP 400). */
  BROWSE_UNKNOWN_TYPE = 'BROWSE_UNKNOWN_TYPE',
  /** The type has no collection of that name (HTTP 400). */
  BROWSE_UNKNOWN_COLLECTION = 'BROWSE_UNKNOWN_COLLECTION',
  /** Bad sort column, filter or time range (HTTP 400). */
  BROWSE_INVALID_QUERY = 'BROWSE_INVALID_QUERY',
  /** The snapshot does not hold that object (HTTP 404). */
  BROWSE_OBJECT_NOT_FOUND = 'BROWSE_OBJECT_NOT_FOUND',
  /** The stored BitLocker key object carries no key material (HTTP 409). */
  BROWSE_KEY_UNAVAILABLE = 'BROWSE_KEY_UNAVAILABLE',
}

export class BrowseException extends DomainException<BrowseExceptionCode> {
  private constructor(code: BrowseExceptionCode, message: string) {
    super(code, message);
  }

  static unknownType(type: string, known: readonly string[]): BrowseException {
    return new BrowseException(
      BrowseExceptionCode.BROWSE_UNKNOWN_TYPE,
      `Unknown object type "${type}"; the types are ${known.join(', ')}`,
    );
  }

  static unknownCollection(type: string, collection: string, known: readonly string[]): BrowseException {
    return new BrowseException(
      BrowseExceptionCode.BROWSE_UNKNOWN_COLLECTION,
      `Type ${type} has no collection "${collection}"; its collections are ${known.join(', ')}`,
    );
  }

  static invalidQuery(message: string): BrowseException {
    return new BrowseException(BrowseExceptionCode.BROWSE_INVALID_QUERY, message);
  }

  static objectNotFound(type: string, collection: string, objectId: string, seq: number): BrowseException {
    return new BrowseException(
      BrowseExceptionCode.BROWSE_OBJECT_NOT_FOUND,
      `Snapshot #${seq} holds no ${type} ${collection} object ${objectId}`,
    );
  }

  static keyUnavailable(keyId: string): BrowseException {
    return new BrowseException(
      BrowseExceptionCode.BROWSE_KEY_UNAVAILABLE,
      `The backup of recovery key ${keyId} holds no key material (the key could not be read when it was backed up)`,
    );
  }
}
