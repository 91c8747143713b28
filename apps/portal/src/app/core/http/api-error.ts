import { HttpErrorResponse } from '@angular/common/http';
import { errorBodySchema } from '@entra-backup/common';
import { ZodError } from 'zod';

/**
 * Turns anything a request can fail with into one sentence for the user: the API's own
 * `message` when it sent its error body, otherwise a description of what went wrong.
 * Raw response bodies are never shown.
 */
export function describeApiError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const body = errorBodySchema.safeParse(error.error);
    if (body.success) return body.data.message;
    if (error.status === 0) {
      return 'The Entra Backup service cannot be reached. Check that it is running and try again.';
    }
    const status =
      error.statusText && error.statusText !== 'OK'
        ? `${error.status} ${error.statusText}`
        : `${error.status}`;
    return `The Entra Backup service answered with an unexpected error (HTTP ${status}).`;
  }
  if (error instanceof ZodError) {
    return 'The Entra Backup service sent a response this portal does not understand. Is the portal the same version as the service?';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
