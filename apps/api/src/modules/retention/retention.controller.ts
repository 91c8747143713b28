import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import {
  PruneRunDto,
  RetentionPreviewDto,
  RetentionPreviewRequestDto,
  RetentionSettingsDto,
  UpdateRetentionDto,
} from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('retention')
@Controller('tenants/:tenantId/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: 'The retention policy (or the defaults), the legal hold and the last prune' })
  @ApiOkResponse({ type: RetentionSettingsDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getRetention(@Param() params: TenantIdParamsDto) {
    return this.retention.getSettings(params.tenantId);
  }

  @Put()
  @Requires('settings:write')
  @ApiOperation({ summary: 'Save the retention policy and/or place or release the legal hold' })
  @ApiOkResponse({ type: RetentionSettingsDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (e.g. a negative period)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  updateRetention(
    @Param() params: TenantIdParamsDto,
    @Body() body: UpdateRetentionDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.retention.update(params.tenantId, body, by);
  }

  @Post('preview')
  @HttpCode(200)
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      'Calculate effect: which snapshots a policy (default: the saved one) would prune now, and what it frees',
  })
  @ApiOkResponse({ type: RetentionPreviewDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  previewRetention(@Param() params: TenantIdParamsDto, @Body() body: RetentionPreviewRequestDto) {
    return this.retention.preview(params.tenantId, body.policy);
  }

  @Post('prune')
  @HttpCode(200)
  @Requires('settings:write')
  @ApiOperation({
    summary:
      'Prune now by the saved policy; answers the prune record (completed, failed, held by a legal hold, or skipped while a backup runs)',
  })
  @ApiOkResponse({ type: PruneRunDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  pruneNow(@Param() params: TenantIdParamsDto, @CurrentAuditContext() by: AuditContext) {
    return this.retention.prune(params.tenantId, { trigger: 'api', by });
  }
}
