import {
  tenantIdSchema,
  createdNotificationRecipientSchema,
  createNotificationRecipientSchema,
  notificationPageSchema,
  notificationQuerySchema,
  notificationRecipientListSchema,
  testNotificationResultSchema,
} from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class NotificationQueryDto extends createZodDto(notificationQuerySchema) {}
export class NotificationPageDto extends createZodDto(notificationPageSchema) {}
export class NotificationRecipientListDto extends createZodDto(notificationRecipientListSchema) {}
export class CreateNotificationRecipientDto extends createZodDto(createNotificationRecipientSchema) {}
export class CreatedNotificationRecipientDto extends createZodDto(createdNotificationRecipientSchema) {}
export class TestNotificationResultDto extends createZodDto(testNotificationResultSchema) {}

const GUID = (name: string) => z.string().uuid({ message: `${name} must be a GUID` });

export class TenantRecipientParamsDto extends createZodDto(
  z.object({ tenantId: tenantIdSchema, recipientId: GUID('recipientId') }),
) {}
export class PartnerParamsDto extends createZodDto(z.object({ partnerId: GUID('partnerId') })) {}
export class PartnerRecipientParamsDto extends createZodDto(
  z.object({ partnerId: GUID('partnerId'), recipientId: GUID('recipientId') }),
) {}
