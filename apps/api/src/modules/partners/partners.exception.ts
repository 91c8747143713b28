import { DomainException } from '../../core/errors/domain.exception';

export enum PartnerExceptionCode {
  /** No partner with that id (HTTP 404). */
  PARTNER_NOT_FOUND = 'PARTNER_NOT_FOUND',
  /** A partner of that name exists already (HTTP 409). */
  PARTNER_EXISTS = 'PARTNER_EXISTS',
  /** A partner name or sign-in name that cannot be used (HTTP 400). */
  PARTNER_INVALID_REQUEST = 'PARTNER_INVALID_REQUEST',
  /** The dashboard cursor is not one this service issued for this sort (HTTP 400). */
  PARTNER_CURSOR_INVALID = 'PARTNER_CURSOR_INVALID',
  /** No staff member of that sign-in name (HTTP 404). */
  STAFF_NOT_FOUND = 'STAFF_NOT_FOUND',
  /** That sign-in name is on the partner's staff already (HTTP 409). */
  STAFF_EXISTS = 'STAFF_EXISTS',
  /** The change would leave the partner without an Owner (HTTP 409). */
  STAFF_LAST_OWNER = 'STAFF_LAST_OWNER',
  /** No onboarding link of that token or id (HTTP 404). */
  ONBOARDING_LINK_NOT_FOUND = 'ONBOARDING_LINK_NOT_FOUND',
  /** The onboarding link has expired (HTTP 410). */
  ONBOARDING_LINK_EXPIRED = 'ONBOARDING_LINK_EXPIRED',
  /** The onboarding link was used already (HTTP 410), also when revoking it. */
  ONBOARDING_LINK_USED = 'ONBOARDING_LINK_USED',
  /** The partner revoked the onboarding link (HTTP 410). */
  ONBOARDING_LINK_REVOKED = 'ONBOARDING_LINK_REVOKED',
  /** Only a signed-in Global Administrator of their own tenant can accept a link (HTTP 403). */
  ONBOARDING_TENANT_ADMIN_REQUIRED = 'ONBOARDING_TENANT_ADMIN_REQUIRED',
  /** Another partner manages the tenant: a tenant has at most one partner (HTTP 409). */
  TENANT_ALREADY_MANAGED = 'TENANT_ALREADY_MANAGED',
  /** The tenant is not managed by this partner (or by any, for its admins) (HTTP 404). */
  TENANT_NOT_MANAGED = 'TENANT_NOT_MANAGED',
  /** A hand-over to the partner that manages the tenant already (HTTP 400). */
  HAND_OVER_INVALID = 'HAND_OVER_INVALID',
}

export class PartnerException extends DomainException<PartnerExceptionCode> {
  private constructor(code: PartnerExceptionCode, message: string) {
    super(code, message);
  }

  static notFound(partnerId: string): PartnerException {
    return new PartnerException(PartnerExceptionCode.PARTNER_NOT_FOUND, `Partner ${partnerId} not found`);
  }

  static alreadyExists(name: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.PARTNER_EXISTS,
      `A partner named "${name}" exists already; choose another name`,
    );
  }

  static invalidRequest(reason: string): PartnerException {
    return new PartnerException(PartnerExceptionCode.PARTNER_INVALID_REQUEST, reason);
  }

  static cursorInvalid(): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.PARTNER_CURSOR_INVALID,
      'The cursor is not valid for this list and sort; start again from the first page',
    );
  }

  static staffNotFound(upn: string): PartnerException {
    return new PartnerException(PartnerExceptionCode.STAFF_NOT_FOUND, `${upn} is not on the partner's staff`);
  }

  static staffExists(upn: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.STAFF_EXISTS,
      `${upn} is on the partner's staff already; change their role instead`,
    );
  }

  static lastOwner(upn: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.STAFF_LAST_OWNER,
      `${upn} is the partner's last Owner: make someone else an Owner first, so the partner keeps someone who manages its staff`,
    );
  }

  static linkNotFound(): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.ONBOARDING_LINK_NOT_FOUND,
      'This onboarding link does not exist; ask your partner for a new one',
    );
  }

  static linkExpired(expiresAt: Date): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.ONBOARDING_LINK_EXPIRED,
      `This onboarding link expired on ${expiresAt.toISOString()}; ask your partner for a new one`,
    );
  }

  static linkUsed(): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.ONBOARDING_LINK_USED,
      'This onboarding link has been used already; each link onboards one tenant, so ask your partner for a new one',
    );
  }

  static linkRevoked(): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.ONBOARDING_LINK_REVOKED,
      'The partner revoked this onboarding link; ask them for a new one',
    );
  }

  static tenantAdminRequired(): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.ONBOARDING_TENANT_ADMIN_REQUIRED,
      "An onboarding link is accepted by a Global Administrator (or Privileged Role Administrator) of the customer's tenant, signed in with their own account of that tenant",
    );
  }

  static alreadyManaged(tenantId: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.TENANT_ALREADY_MANAGED,
      `Tenant ${tenantId} is managed by another partner; a tenant has one partner at a time, so its admins revoke that link first (Settings → Partner)`,
    );
  }

  static notManaged(tenantId: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.TENANT_NOT_MANAGED,
      `Tenant ${tenantId} is not managed by this partner`,
    );
  }

  static notManagedByAny(tenantId: string): PartnerException {
    return new PartnerException(
      PartnerExceptionCode.TENANT_NOT_MANAGED,
      `Tenant ${tenantId} is not managed by a partner`,
    );
  }

  static handOverInvalid(reason: string): PartnerException {
    return new PartnerException(PartnerExceptionCode.HAND_OVER_INVALID, reason);
  }
}
