import { DomainException } from '../../core/errors/domain.exception';

export enum NotificationExceptionCode {
  /** The `cursor` of a notification page is not one this service handed out (HTTP 400). */
  NOTIFICATION_INVALID_CURSOR = 'NOTIFICATION_INVALID_CURSOR',
}

export class NotificationException extends DomainException<NotificationExceptionCode> {
  private constructor(code: NotificationExceptionCode, message: string) {
    super(code, message);
  }

  static invalidCursor(): NotificationException {
    return new NotificationException(
      NotificationExceptionCode.NOTIFICATION_INVALID_CURSOR,
      'The cursor is not valid: pass the nextCursor of the previous page unchanged',
    );
  }
}
