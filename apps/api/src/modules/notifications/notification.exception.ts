import { DomainException } from '../../core/errors/domain.exception';

export enum NotificationExceptionCode {
  /** The `cursor` of a notification page is not one this service handed out (HTTP 400). */
  NOTIFICATION_INVALID_CURSOR = 'NOTIFICATION_INVALID_CURSOR',
  /** No such recipient of this tenant or partner (HTTP 404). */
  NOTIFICATION_RECIPIENT_NOT_FOUND = 'NOTIFICATION_RECIPIENT_NOT_FOUND',
  /** No such partner (HTTP 404). */
  NOTIFICATION_PARTNER_NOT_FOUND = 'NOTIFICATION_PARTNER_NOT_FOUND',
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

  static recipientNotFound(recipientId: string): NotificationException {
    return new NotificationException(
      NotificationExceptionCode.NOTIFICATION_RECIPIENT_NOT_FOUND,
      `No notification recipient ${recipientId} here`,
    );
  }

  static partnerNotFound(partnerId: string): NotificationException {
    return new NotificationException(
      NotificationExceptionCode.NOTIFICATION_PARTNER_NOT_FOUND,
      `No partner ${partnerId}`,
    );
  }
}
