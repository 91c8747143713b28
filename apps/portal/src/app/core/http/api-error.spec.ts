import { HttpErrorResponse } from '@angular/common/http';
import { tenantSchema } from '@entra-backup/common';
import { buildErrorBody } from '../../testing/builders';
import { describeApiError } from './api-error';

describe('describeApiError', () => {
  it("uses the API's message when the body is the API error body", () => {
    const error = new HttpErrorResponse({
      status: 409,
      error: buildErrorBody(
        409,
        'TENANT_EXISTS',
        'Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 already exists',
      ),
    });

    expect(describeApiError(error)).toBe('Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 already exists');
  });

  it('says the service cannot be reached on a network failure', () => {
    const error = new HttpErrorResponse({
      status: 0,
      statusText: 'Unknown Error',
      error: new ProgressEvent('error'),
    });

    expect(describeApiError(error)).toMatch(/cannot be reached/);
  });

  it('never shows a raw body that is not the API error body', () => {
    const error = new HttpErrorResponse({
      status: 502,
      statusText: 'Bad Gateway',
      error: '<html><body>nginx upstream error</body></html>',
    });

    const message = describeApiError(error);

    expect(message).toBe(
      'The Entra Backup service answered with an unexpected error (HTTP 502 Bad Gateway).',
    );
    expect(message).not.toContain('nginx');
  });

  it('explains a response that does not match the shared contract', () => {
    const parsed = tenantSchema.safeParse({ tenantId: 42 });
    if (parsed.success) throw new Error('expected the schema to reject the payload');

    expect(describeApiError(parsed.error)).toMatch(/does not understand/);
  });

  it('falls back to a generic sentence for unknown values', () => {
    expect(describeApiError('boom')).toBe('Something went wrong. Try again.');
    expect(describeApiError(new Error('Request timed out'))).toBe('Request timed out');
  });
});
