import { notificationPageSchema, notificationQuerySchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class NotificationQueryDto extends createZodDto(notificationQuerySchema) {}
export class NotificationPageDto extends createZodDto(notificationPageSchema) {}
