import { errorBodySchema } from '@entra-backup/common';
import { createZodDto } from 'nestjs-zod';

/** The body of every error response, for the OpenAPI document. */
export class ErrorBodyDto extends createZodDto(errorBodySchema) {}
