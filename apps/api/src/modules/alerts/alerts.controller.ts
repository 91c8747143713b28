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
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { AlertSettingsService } from './alert-settings.service';
import { AlertSettingsDto } from './alerts.dto';

@ApiTags('notifications')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'TENANT_FORBIDDEN, PERMISSION_DENIED or CSRF_TOKEN_INVALID',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
@Controller('tenants/:tenantId/alert-settings')
export class AlertsController {
  constructor(private readonly settings: AlertSettingsService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: "The tenant's alert thresholds and whether alerts come as a daily digest" })
  @ApiOkResponse({ type: AlertSettingsDto })
  getAlertSettings(@Param() params: TenantIdParamsDto) {
    return this.settings.get(params.tenantId);
  }

  @Put()
  @Requires('settings:write')
  @ApiOperation({ summary: "Replace the tenant's alert thresholds and digest choice" })
  @ApiOkResponse({ type: AlertSettingsDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  updateAlertSettings(
    @Param() params: TenantIdParamsDto,
    @Body() body: AlertSettingsDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.settings.update(params.tenantId, body, by);
  }
}
