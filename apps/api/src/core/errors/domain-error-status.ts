import { HttpStatus } from '@nestjs/common';
import { SettingsExceptionCode } from '../../modules/settings/settings.exception';
import { TenantExceptionCode } from '../../modules/tenants/tenants.exception';

export type DomainErrorCode = TenantExceptionCode | SettingsExceptionCode;

/**
 * The one place domain error codes become HTTP statuses. A `Record` over the union of every
 * module's code enum, so a new code without a status does not compile.
 */
export const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, HttpStatus> = {
  [TenantExceptionCode.TENANT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [TenantExceptionCode.TENANT_EXISTS]: HttpStatus.CONFLICT,
  [SettingsExceptionCode.UNKNOWN_OBJECT_TYPE]: HttpStatus.BAD_REQUEST,
};

export function httpStatusOfDomainCode(code: string): HttpStatus {
  return (
    (DOMAIN_ERROR_STATUS as Record<string, HttpStatus | undefined>)[code] ?? HttpStatus.INTERNAL_SERVER_ERROR
  );
}
