import {
  addStaffRequestSchema,
  bulkBackupRequestSchema,
  bulkResultSchema,
  bulkSettingsRequestSchema,
  changeStaffRequestSchema,
  createOnboardingLinkRequestSchema,
  GUID_PATTERN,
  handOverRequestSchema,
  onboardingAcceptedSchema,
  onboardingInvitationSchema,
  onboardingLinkListSchema,
  onboardingLinkSchema,
  partnerLinkSchema,
  partnerSchema,
  partnerTenantPageSchema,
  partnerTenantQuerySchema,
  staffListSchema,
  staffMemberSchema,
  staffUpnSchema,
  tenantIdSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class PartnerDto extends createZodDto(partnerSchema) {}
export class PartnerTenantPageDto extends createZodDto(partnerTenantPageSchema) {}
export class PartnerTenantQueryDto extends createZodDto(partnerTenantQuerySchema) {}
export class BulkBackupDto extends createZodDto(bulkBackupRequestSchema) {}
export class BulkSettingsDto extends createZodDto(bulkSettingsRequestSchema) {}
export class BulkResultDto extends createZodDto(bulkResultSchema) {}
export class StaffListDto extends createZodDto(staffListSchema) {}
export class StaffMemberDto extends createZodDto(staffMemberSchema) {}
export class AddStaffDto extends createZodDto(addStaffRequestSchema) {}
export class ChangeStaffDto extends createZodDto(changeStaffRequestSchema) {}
export class OnboardingLinkDto extends createZodDto(onboardingLinkSchema) {}
export class OnboardingLinkListDto extends createZodDto(onboardingLinkListSchema) {}
export class CreateOnboardingLinkDto extends createZodDto(createOnboardingLinkRequestSchema) {}
export class OnboardingInvitationDto extends createZodDto(onboardingInvitationSchema) {}
export class OnboardingAcceptedDto extends createZodDto(onboardingAcceptedSchema) {}
export class HandOverDto extends createZodDto(handOverRequestSchema) {}
export class PartnerLinkDto extends createZodDto(partnerLinkSchema) {}

const partnerIdSchema = z
  .string()
  .regex(GUID_PATTERN, { message: 'partnerId must be the id of a partner (a GUID)' })
  .transform((s) => s.toLowerCase());

/** Path parameters of `/partners/:partnerId/...`. */
export class PartnerIdParamsDto extends createZodDto(z.object({ partnerId: partnerIdSchema })) {}

/** Path parameters of `/partners/:partnerId/tenants/:tenantId/...`. */
export class PartnerTenantParamsDto extends createZodDto(
  z.object({ partnerId: partnerIdSchema, tenantId: tenantIdSchema }),
) {}

/** Path parameters of `/partners/:partnerId/staff/:upn` (the sign-in name, URL-encoded). */
export class StaffParamsDto extends createZodDto(
  z.object({ partnerId: partnerIdSchema, upn: staffUpnSchema }),
) {}

/** Path parameters of `/partners/:partnerId/onboarding-links/:linkId`. */
export class OnboardingLinkParamsDto extends createZodDto(
  z.object({
    partnerId: partnerIdSchema,
    linkId: z.string().regex(GUID_PATTERN, { message: 'linkId must be the id of an onboarding link' }),
  }),
) {}

/** Path parameter of `/onboarding/:token`. */
export class OnboardingTokenParamsDto extends createZodDto(
  z.object({ token: z.string().min(1).max(128, { message: 'not an onboarding link token' }) }),
) {}
