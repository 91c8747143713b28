import { DomainException } from '../../core/errors/domain.exception';

export enum EmergencyExceptionCode {
  /** Wrong user name, password or code; the answer never says which (HTTP 401). */
  EMERGENCY_SIGN_IN_FAILED = 'EMERGENCY_SIGN_IN_FAILED',
  /** Too many consecutive failures for the user name: locked for a while (HTTP 423, Retry-After). */
  EMERGENCY_ACCOUNT_LOCKED = 'EMERGENCY_ACCOUNT_LOCKED',
  /** Too many failures from the caller's address (HTTP 429, Retry-After). */
  EMERGENCY_RATE_LIMITED = 'EMERGENCY_RATE_LIMITED',
  /** No such break-glass account in the tenant (HTTP 404). */
  BREAK_GLASS_ACCOUNT_NOT_FOUND = 'BREAK_GLASS_ACCOUNT_NOT_FOUND',
  /** The tenant already has a break-glass account of that user name (HTTP 409). */
  BREAK_GLASS_USERNAME_TAKEN = 'BREAK_GLASS_USERNAME_TAKEN',
  /** No partner with that id (HTTP 404). */
  EMERGENCY_PARTNER_NOT_FOUND = 'EMERGENCY_PARTNER_NOT_FOUND',
}

export class EmergencyException extends DomainException<EmergencyExceptionCode> {
  private constructor(
    code: EmergencyExceptionCode,
    message: string,
    /** For the `Retry-After` header of a lock or rate limit. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }

  static signInFailed(): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED,
      'The tenant, user name, password or code is wrong',
    );
  }

  static locked(retryAfterSeconds: number): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.EMERGENCY_ACCOUNT_LOCKED,
      `Too many failed attempts: emergency sign-in for this user name is locked; try again in ${minutes(retryAfterSeconds)}`,
      retryAfterSeconds,
    );
  }

  static rateLimited(retryAfterSeconds: number): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.EMERGENCY_RATE_LIMITED,
      `Too many failed emergency sign-ins from your address; try again in ${minutes(retryAfterSeconds)}`,
      retryAfterSeconds,
    );
  }

  static accountNotFound(accountId: string): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.BREAK_GLASS_ACCOUNT_NOT_FOUND,
      `Break-glass account ${accountId} not found in this tenant`,
    );
  }

  static usernameTaken(username: string): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.BREAK_GLASS_USERNAME_TAKEN,
      `The tenant already has a break-glass account named ${username}`,
    );
  }

  static partnerNotFound(partnerId: string): EmergencyException {
    return new EmergencyException(
      EmergencyExceptionCode.EMERGENCY_PARTNER_NOT_FOUND,
      `Partner ${partnerId} not found`,
    );
  }
}

function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return m === 1 ? '1 minute' : `${m} minutes`;
}
