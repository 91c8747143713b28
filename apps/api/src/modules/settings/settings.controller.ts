import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
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
import { SettingsStatusDto, UpdateSettingsDto } from './settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('tenants/:tenantId/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'Which object types are backed up for the tenant (all 14 keys), with their permission status',
  })
  @ApiOkResponse({ type: SettingsStatusDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getSettings(@Param() params: TenantIdParamsDto) {
    return this.settings.getStatus(params.tenantId);
  }

  @Put()
  @Requires('settings:write')
  @ApiOperation({ summary: 'Switch object types on or off; keys not sent keep their value' })
  @ApiOkResponse({ type: SettingsStatusDto })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'CONSENT_REQUIRED: switching on before admin consent',
  })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (e.g. unknown keys) or MALFORMED_JSON',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  updateSettings(
    @Param() params: TenantIdParamsDto,
    @Body() body: UpdateSettingsDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.settings.updateWithStatus(params.tenantId, body.enabledTypes, by);
  }
}
