import { Idempotent } from '../idempotency/idempotent.decorator';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { PartnerRole } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { CurrentActor, CurrentPrincipal, Requires } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { PartnerBulkService } from './partner-bulk.service';
import { PartnerCustomersService } from './partner-customers.service';
import { PartnerDashboardService } from './partner-dashboard.service';
import { toPartnerResponse } from './partner.mapper';
import {
  BulkBackupDto,
  BulkResultDto,
  BulkSettingsDto,
  HandOverDto,
  PartnerDto,
  PartnerIdParamsDto,
  PartnerLinkDto,
  PartnerTenantPageDto,
  PartnerTenantParamsDto,
  PartnerTenantQueryDto,
} from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description:
    'TENANT_FORBIDDEN (not this partner, or a tenant that is not its customer), PERMISSION_DENIED (the role lacks the permission) or CSRF_TOKEN_INVALID',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND' })
@Controller('partners/:partnerId')
export class PartnersController {
  constructor(
    private readonly partners: PartnersService,
    private readonly dashboard: PartnerDashboardService,
    private readonly bulk: PartnerBulkService,
    private readonly customers: PartnerCustomersService,
  ) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: "The partner, with the caller's role there" })
  @ApiOkResponse({ type: PartnerDto })
  async getPartner(@Param() params: PartnerIdParamsDto, @CurrentPrincipal() principal: Principal) {
    return toPartnerResponse(await this.partners.get(params.partnerId), roleAt(principal, params.partnerId));
  }

  @Get('tenants')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'The partner dashboard: every customer tenant with its health, filtered, sorted and paged',
    description:
      'Rows carry consent health, the last backup (status, age), the next scheduled backup, the types that ' +
      'failed in the last finished run, the enabled types and the stored bytes. `filter`: `failing`, `stale` ' +
      '(no good backup for 24 hours) or `no-consent`; `search` matches name or tenant id; pass `nextCursor` ' +
      'back as `cursor` for the next page (with the same `sort`).',
  })
  @ApiOkResponse({ type: PartnerTenantPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or PARTNER_CURSOR_INVALID' })
  listTenants(@Param() params: PartnerIdParamsDto, @Query() query: PartnerTenantQueryDto) {
    return this.dashboard.tenants(params.partnerId, query);
  }

  @Post('bulk/backups')
  @Idempotent()
  @Requires('backups:start')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Back up several customer tenants now; one result per tenant',
    description:
      "Each tenant must be the partner's customer and allowed to the caller, else its item fails with " +
      'TENANT_FORBIDDEN; other failures carry the code of the single-tenant trigger (CONSENT_REQUIRED, ' +
      'BACKUP_ALREADY_RUNNING, BACKUP_NO_TYPES).',
  })
  @ApiOkResponse({ type: BulkResultDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or MALFORMED_JSON' })
  startBackups(
    @Param() params: PartnerIdParamsDto,
    @Body() body: BulkBackupDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.bulk.startBackups(params.partnerId, body, principal);
  }

  @Post('bulk/settings')
  @Requires('settings:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Switch object types on for several customer tenants; one result per tenant',
    description:
      "Types not named keep their setting. Each tenant must be the partner's customer and allowed to the " +
      'caller, else its item fails with TENANT_FORBIDDEN; a tenant without admin consent fails with CONSENT_REQUIRED.',
  })
  @ApiOkResponse({ type: BulkResultDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or MALFORMED_JSON' })
  enableTypes(
    @Param() params: PartnerIdParamsDto,
    @Body() body: BulkSettingsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.bulk.enableTypes(params.partnerId, body, principal);
  }

  @Post('tenants/:tenantId/hand-over')
  @Requires('customers:manage')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Hand a customer tenant over to another partner' })
  @ApiOkResponse({ type: PartnerLinkDto, description: "The tenant's new partner link" })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or HAND_OVER_INVALID (to the same partner)',
  })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'PARTNER_NOT_FOUND (either partner), TENANT_NOT_FOUND or TENANT_NOT_MANAGED',
  })
  handOver(@Param() params: PartnerTenantParamsDto, @Body() body: HandOverDto, @CurrentActor() actor: Actor) {
    return this.customers.handOver(params.partnerId, params.tenantId, body.toPartnerId, actor);
  }

  @Delete('tenants/:tenantId')
  @Requires('customers:manage')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Release a customer tenant: the partner stops managing it (its backups stay with the tenant)',
  })
  @ApiNoContentResponse({ description: 'Released' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'PARTNER_NOT_FOUND, TENANT_NOT_FOUND or TENANT_NOT_MANAGED',
  })
  async release(@Param() params: PartnerTenantParamsDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.customers.release(params.partnerId, params.tenantId, actor);
  }
}

/** The caller's role at the partner (a person on its staff; keys and operators have none). */
function roleAt(principal: Principal, partnerId: string): PartnerRole | undefined {
  for (const grant of principal.grants) {
    if (grant.source.kind === 'partner' && grant.source.partnerId === partnerId) return grant.source.role;
  }
  return undefined;
}
