import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { withNextCursor } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { CurrentActor, CurrentPrincipal, Requires } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { TenantAccess } from '../auth/tenant-access.service';
import { toTenantResponse } from './tenant.mapper';
import {
  CreateTenantDto,
  ListTenantsQueryDto,
  TenantDto,
  TenantIdParamsDto,
  TenantPageDto,
} from './tenants.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly access: TenantAccess,
  ) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: 'List the registered tenants the caller may see, by name, paged' })
  @ApiOkResponse({ type: TenantPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (page, pageSize, cursor)' })
  async listTenants(@CurrentPrincipal() principal: Principal, @Query() query: ListTenantsQueryDto) {
    const visible = await this.access.visibleTenants(principal, 'tenants:read');
    const start = (query.page - 1) * query.pageSize;
    return withNextCursor(query, {
      items: visible.slice(start, start + query.pageSize).map(toTenantResponse),
      total: visible.length,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Get(':tenantId')
  @Requires('tenants:read')
  @ApiOperation({ summary: 'Get one tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getTenant(@Param() params: TenantIdParamsDto) {
    return this.tenants.get(params.tenantId);
  }

  @Post()
  @Requires('settings:write')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Register a tenant (all object types start switched off)' })
  @ApiCreatedResponse({ type: TenantDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or MALFORMED_JSON' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'TENANT_EXISTS' })
  createTenant(@Body() body: CreateTenantDto, @CurrentActor() actor: Actor) {
    return this.tenants.create(body, actor);
  }
}
