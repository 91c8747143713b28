import { consentStartSchema, consentStatusSchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class ConsentStatusDto extends createZodDto(consentStatusSchema) {}
export class ConsentStartDto extends createZodDto(consentStartSchema) {}
