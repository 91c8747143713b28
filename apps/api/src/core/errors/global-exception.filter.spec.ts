import {
  type ArgumentsHost,
  BadRequestException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { createTenantSchema } from '@entra-backup/common';
import { ZodValidationException } from 'nestjs-zod';
import { TenantException } from '../../modules/tenants/tenants.exception';
import { CommonHttpException } from './common-http.exception';
import { CommonErrorCode } from './error-code';
import { GlobalExceptionFilter } from './global-exception.filter';

function httpHost(correlationId = 'corr-1') {
  const response = {
    headersSent: false,
    status: jest.fn().mockReturnThis(),
    json: jest.fn().mockReturnThis(),
    getHeader: jest.fn(() => undefined),
  };
  const request = { correlationId, method: 'GET', originalUrl: '/api/x' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, response };
}

describe(GlobalExceptionFilter.name, () => {
  let sut: GlobalExceptionFilter;

  beforeEach(() => {
    sut = new GlobalExceptionFilter();
  });

  it('maps domain exceptions through their code', () => {
    const { host, response } = httpHost();

    sut.catch(TenantException.alreadyExists('t1'), host);

    expect(response.status).toHaveBeenCalledWith(HttpStatus.CONFLICT);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 409,
      code: 'TENANT_EXISTS',
      message: 'Tenant t1 already exists',
      correlationId: 'corr-1',
    });
  });

  it('turns zod validation errors into VALIDATION_FAILED naming the fields', () => {
    const { host, response } = httpHost();
    const error = createTenantSchema.safeParse({ tenantId: 'x', displayName: 'ok' }).error;

    sut.catch(new ZodValidationException(error), host);

    expect(response.json).toHaveBeenCalledWith(
      expect.objectContaining({ statusCode: 400, code: CommonErrorCode.VALIDATION_FAILED }),
    );
    expect(response.json.mock.calls[0][0].message).toContain('tenantId must be a GUID');
  });

  it('keeps the code of common HTTP exceptions and maps plain ones by status', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const first = httpHost();
    sut.catch(
      new CommonHttpException(HttpStatus.BAD_REQUEST, CommonErrorCode.MALFORMED_JSON, 'bad json'),
      first.host,
    );
    expect(first.response.json).toHaveBeenCalledWith(expect.objectContaining({ code: 'MALFORMED_JSON' }));
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ correlationId: 'corr-1', code: 'MALFORMED_JSON' }),
      'bad json',
    );

    const second = httpHost();
    sut.catch(new NotFoundException('Cannot GET /api/x'), second.host);
    expect(second.response.json).toHaveBeenCalledWith(
      expect.objectContaining({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET /api/x' }),
    );

    const third = httpHost();
    sut.catch(new BadRequestException(['a is bad', 'b is bad']), third.host);
    expect(third.response.json).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'a is bad; b is bad' }),
    );
  });

  it('hides the details of unexpected errors and logs them', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, response } = httpHost();

    sut.catch(new Error('connection string postgres://u:p@db leaked'), host);

    expect(response.status).toHaveBeenCalledWith(500);
    expect(response.json).toHaveBeenCalledWith({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
      correlationId: 'corr-1',
    });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('does not write twice when the response has already started', () => {
    const { host, response } = httpHost();
    response.headersSent = true;

    sut.catch(new NotFoundException(), host);

    expect(response.status).not.toHaveBeenCalled();
  });
});
