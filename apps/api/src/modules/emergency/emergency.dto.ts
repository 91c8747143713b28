import {
  breakGlassAccountListSchema,
  breakGlassAccountSchema,
  createBreakGlassAccountRequestSchema,
  createdBreakGlassAccountSchema,
  emergencyContactsSchema,
  emergencySignInRequestSchema,
  emergencySignInResponseSchema,
  tenantIdSchema,
  updateEmergencyContactsRequestSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class CreateBreakGlassAccountDto extends createZodDto(createBreakGlassAccountRequestSchema) {}
export class BreakGlassAccountDto extends createZodDto(breakGlassAccountSchema) {}
export class BreakGlassAccountListDto extends createZodDto(breakGlassAccountListSchema) {}
export class CreatedBreakGlassAccountDto extends createZodDto(createdBreakGlassAccountSchema) {}
export class EmergencyContactsDto extends createZodDto(emergencyContactsSchema) {}
export class UpdateEmergencyContactsDto extends createZodDto(updateEmergencyContactsRequestSchema) {}
export class EmergencySignInDto extends createZodDto(emergencySignInRequestSchema) {}
export class EmergencySignInResponseDto extends createZodDto(emergencySignInResponseSchema) {}

export class AccountParamsDto extends createZodDto(
  z.object({
    tenantId: tenantIdSchema,
    accountId: z.string().uuid({ message: 'accountId must be a break-glass account id (a GUID)' }),
  }),
) {}

export class EmergencyPartnerParamsDto extends createZodDto(
  z.object({ partnerId: z.string().uuid({ message: 'partnerId must be a partner id (a GUID)' }) }),
) {}
