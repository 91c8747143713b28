import { alertSettingsSchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class AlertSettingsDto extends createZodDto(alertSettingsSchema.strict()) {}
