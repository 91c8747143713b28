import { type ArgumentsHost, HttpStatus } from '@nestjs/common';
import { ExportException, ExportExceptionCode } from '../../modules/export/export.exception';
import { httpStatusOfDomainCode } from './domain-error-status';
import { GlobalExceptionFilter } from './global-exception.filter';

function httpHost(correlationId: string) {
  const response = {
    headersSent: false,
    status: jest.fn().mockReturnThis(),
    json: jest.fn().mockReturnThis(),
    getHeader: jest.fn(() => undefined),
  };
  const request = { correlationId, method: 'POST', originalUrl: '/api/x' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, response };
}

describe(httpStatusOfDomainCode.name, () => {
  it.each([
    [ExportExceptionCode.EXPORT_TARGET_NOT_EMPTY, HttpStatus.CONFLICT],
    [ExportExceptionCode.EXPORT_TARGET_INVALID, HttpStatus.BAD_REQUEST],
  ])('maps the export code %s to %i', (code, status) => {
    expect(httpStatusOfDomainCode(code)).toBe(status);
  });

  it('answers 500 for a code no module declares', () => {
    expect(httpStatusOfDomainCode('NOT_A_DOMAIN_CODE')).toBe(HttpStatus.INTERNAL_SERVER_ERROR);
  });

  it('lets the global filter answer an export error with its status and the standard body', () => {
    const { host, response } = httpHost('corr-export');

    new GlobalExceptionFilter().catch(ExportException.targetInvalid('/srv/out', 'not a directory'), host);

    expect(response.status).toHaveBeenCalledWith(HttpStatus.BAD_REQUEST);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 400,
      code: 'EXPORT_TARGET_INVALID',
      message: 'Cannot export to /srv/out: not a directory',
      correlationId: 'corr-export',
    });
  });
});
