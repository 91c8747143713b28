import { sessionSchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

export class SessionDto extends createZodDto(sessionSchema) {}
