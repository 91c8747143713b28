import { DomainException } from '../../core/errors/domain.exception';
import { AuthExceptionCode } from '../auth/auth.exception';
import { ConsentExceptionCode } from '../consent/consent.exception';

/**
 * What the REST face of restores refuses before the engine is asked: the codes are the auth and
 * consent modules' own (so their HTTP statuses come from the one mapping), the messages are worded
 * for the signed-in admin.
 */
export type RestoreApiExceptionCode =
  AuthExceptionCode.TENANT_FORBIDDEN | ConsentExceptionCode.CONSENT_REQUIRED;

export class RestoreApiException extends DomainException<RestoreApiExceptionCode> {
  private constructor(code: RestoreApiExceptionCode, message: string) {
    super(code, message);
  }

  static crossTenantForbidden(targetTenantId: string): RestoreApiException {
    return new RestoreApiException(
      AuthExceptionCode.TENANT_FORBIDDEN,
      `You are not signed in to tenant ${targetTenantId}, so you cannot restore into it here. ` +
        'Restoring into another tenant is done with the command line: entra-backup restore --to-tenant',
    );
  }

  static consentRequired(): RestoreApiException {
    return new RestoreApiException(
      ConsentExceptionCode.CONSENT_REQUIRED,
      'Grant admin consent in Settings before restoring: without it the restore can neither read nor write the tenant',
    );
  }
}
