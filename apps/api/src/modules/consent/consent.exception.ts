import { DomainException } from '../../core/errors/domain.exception';

export enum ConsentExceptionCode {
  /** Object types cannot be switched on before admin consent is granted (HTTP 409). */
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  /** The consent callback's `state` is missing, forged, expired or replayed (HTTP 400). */
  CONSENT_STATE_INVALID = 'CONSENT_STATE_INVALID',
}

export class ConsentException extends DomainException<ConsentExceptionCode> {
  private constructor(code: ConsentExceptionCode, message: string) {
    super(code, message);
  }

  static required(tenantId: string): ConsentException {
    return new ConsentException(
      ConsentExceptionCode.CONSENT_REQUIRED,
      `Grant admin consent for tenant ${tenantId} before switching object types on: in the portal, Settings → "Grant admin consent" (or, without the portal, grant it in the Microsoft Entra admin center and record it with "entra-backup settings consent ${tenantId}")`,
    );
  }

  /** The app's permissions in the tenant could not be confirmed (HTTP 409). */
  static notVerified(tenantId: string, reason: string): ConsentException {
    return new ConsentException(
      ConsentExceptionCode.CONSENT_REQUIRED,
      `Admin consent for tenant ${tenantId} could not be confirmed (${reason}): grant it in the portal's Settings or in the Microsoft Entra admin center`,
    );
  }

  static stateInvalid(reason: string): ConsentException {
    return new ConsentException(
      ConsentExceptionCode.CONSENT_STATE_INVALID,
      `This admin-consent answer cannot be accepted: ${reason}. Start again from Settings with "Grant admin consent".`,
    );
  }
}
