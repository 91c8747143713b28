import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { AuditContext } from '../audit/audit-context';
import { Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { ReconciliationPolicyService } from '../backup/reconciliation-policy.service';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { ReconciliationPolicyDto, UpdateReconciliationPolicyDto } from './runs.dto';

@ApiTags('settings')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS, TENANT_FORBIDDEN (another tenant) or CSRF_TOKEN_INVALID',
})
@Controller('tenants/:tenantId/settings/reconciliation')
export class ReconciliationController {
  constructor(private readonly policy: ReconciliationPolicyService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'How often the tenant is backed up with a full read that reports drift (default: every 7 days)',
  })
  @ApiOkResponse({ type: ReconciliationPolicyDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getReconciliation(@Param() params: TenantIdParamsDto) {
    return this.policy.get(params.tenantId);
  }

  @Put()
  @Requires('settings:write')
  @ApiOperation({ summary: 'Set the interval of full reconciliations in days (1 to 90)' })
  @ApiOkResponse({ type: ReconciliationPolicyDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or MALFORMED_JSON' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  updateReconciliation(
    @Param() params: TenantIdParamsDto,
    @Body() body: UpdateReconciliationPolicyDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.policy.update(params.tenantId, body.everyDays, by);
  }
}
