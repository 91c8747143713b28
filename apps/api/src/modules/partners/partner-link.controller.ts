import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { CurrentActor, Requires } from '../auth/access.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { PartnerCustomersService } from './partner-customers.service';
import { PartnerLinkDto } from './partners.dto';

@ApiTags('partners')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'TENANT_FORBIDDEN (another tenant), PERMISSION_DENIED or CSRF_TOKEN_INVALID',
})
@Controller('tenants/:tenantId/partner-link')
export class PartnerLinkController {
  constructor(private readonly customers: PartnerCustomersService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: 'The partner that manages the tenant, if any, and since when' })
  @ApiOkResponse({ type: PartnerLinkDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getLink(@Param() params: TenantIdParamsDto) {
    return this.customers.link(params.tenantId);
  }

  @Delete()
  @Requires('partner-link:manage')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Revoke the partner's link: its staff and keys lose access to the tenant at their next request",
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND or TENANT_NOT_MANAGED' })
  async revokeLink(@Param() params: TenantIdParamsDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.customers.revokeLink(params.tenantId, actor);
  }
}
