import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { API_ACTOR } from '../audit/audit-action';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { SettingsDto, UpdateSettingsDto } from './settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('tenants/:tenantId/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: 'Which object types are backed up for the tenant (all 14 keys)' })
  @ApiOkResponse({ type: SettingsDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getSettings(@Param() params: TenantIdParamsDto) {
    return this.settings.get(params.tenantId);
  }

  @Put()
  @ApiOperation({ summary: 'Switch object types on or off; keys not sent keep their value' })
  @ApiOkResponse({ type: SettingsDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (e.g. unknown keys) or MALFORMED_JSON',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  updateSettings(@Param() params: TenantIdParamsDto, @Body() body: UpdateSettingsDto) {
    return this.settings.update(params.tenantId, body.enabledTypes, API_ACTOR);
  }
}
