import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { CurrentActor, SessionTenant } from '../auth/access.decorator';
import { CreateTenantDto, TenantDto, TenantIdParamsDto, TenantListDto } from './tenants.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: 'List the registered tenants the signed-in user may see (their own)' })
  @ApiOkResponse({ type: TenantListDto })
  async listTenants(@SessionTenant() sessionTenant: string | undefined) {
    const all = await this.tenants.list();
    return { items: all.items.filter((tenant) => tenant.tenantId === sessionTenant) };
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'Get one tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'tenantId is not a GUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  getTenant(@Param() params: TenantIdParamsDto) {
    return this.tenants.get(params.tenantId);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Register a tenant (all object types start switched off)' })
  @ApiCreatedResponse({ type: TenantDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or MALFORMED_JSON' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'TENANT_EXISTS' })
  createTenant(@Body() body: CreateTenantDto, @CurrentActor() actor: Actor) {
    return this.tenants.create(body, actor);
  }
}
