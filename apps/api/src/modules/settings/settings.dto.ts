import { settingsSchema, settingsStatusSchema, updateSettingsSchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class UpdateSettingsDto extends createZodDto(updateSettingsSchema) {}
export class SettingsDto extends createZodDto(settingsSchema) {}
export class SettingsStatusDto extends createZodDto(settingsStatusSchema) {}
