import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import type { AuditContext } from './audit-context';
import { auditCsv, auditJson } from './audit-download';
import { AuditExportQueryDto, AuditPageDto, AuditQueryDto, PartnerIdParamsDto } from './audit.dto';
import { type AuditScope, AuditService } from './audit.service';

const FILTERS =
  'Filters: `action` (comma-separated actions or categories such as `backup.*`), `actor` (part of it, ' +
  'case-insensitive), `outcome` (success, refused, failed), `from` (inclusive) and `to` (exclusive) ISO 8601 instants.';

@ApiTags('audit')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'TENANT_FORBIDDEN (another tenant or partner) or PERMISSION_DENIED',
})
@ApiBadRequestResponse({
  type: ErrorBodyDto,
  description: 'VALIDATION_FAILED (a filter) or AUDIT_INVALID_CURSOR',
})
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('tenants/:tenantId/audit')
  @Requires('tenants:read')
  @ApiOperation({
    summary: "The tenant's audit log, newest first, a page at a time (cursor)",
    description: `Sign-ins, consent, settings, backups, restores, exports, key reveals and refused requests. ${FILTERS}`,
  })
  @ApiOkResponse({ type: AuditPageDto })
  tenantAudit(@Param() params: TenantIdParamsDto, @Query() query: AuditQueryDto) {
    return this.audit.page({ tenantId: params.tenantId }, query);
  }

  @Get('tenants/:tenantId/audit.csv')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "The tenant's audit log as CSV (every matching event, streamed)",
    description: FILTERS,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv: occurredAt, action, outcome, actor, principalKind, address, ...' })
  async tenantAuditCsv(
    @Param() params: TenantIdParamsDto,
    @Query() query: AuditExportQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.csv(by, { tenantId: params.tenantId }, query);
  }

  @Get('tenants/:tenantId/audit.json')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "The tenant's audit log as JSON `{ items: [...] }` (streamed)",
    description: FILTERS,
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: '`{ items: [event, ...] }`, newest first' })
  async tenantAuditJson(
    @Param() params: TenantIdParamsDto,
    @Query() query: AuditExportQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.json(by, { tenantId: params.tenantId }, query);
  }

  @Get('partners/:partnerId/audit')
  @Requires('tenants:read')
  @ApiOperation({
    summary: "The partner's audit log: its own events (staff, keys, onboarding) and its tenants' events",
    description: FILTERS,
  })
  @ApiOkResponse({ type: AuditPageDto })
  partnerAudit(@Param() params: PartnerIdParamsDto, @Query() query: AuditQueryDto) {
    return this.audit.page({ partnerId: params.partnerId }, query);
  }

  @Get('partners/:partnerId/audit.csv')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The partner's audit log as CSV (streamed)", description: FILTERS })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv, one row per event' })
  async partnerAuditCsv(
    @Param() params: PartnerIdParamsDto,
    @Query() query: AuditExportQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.csv(by, { partnerId: params.partnerId }, query);
  }

  @Get('partners/:partnerId/audit.json')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The partner's audit log as JSON (streamed)", description: FILTERS })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: '`{ items: [event, ...] }`, newest first' })
  async partnerAuditJson(
    @Param() params: PartnerIdParamsDto,
    @Query() query: AuditExportQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.json(by, { partnerId: params.partnerId }, query);
  }

  private async csv(
    by: AuditContext,
    scope: AuditScope,
    query: AuditExportQueryDto,
  ): Promise<StreamableFile> {
    const download = await this.audit.download(by, scope, 'csv', query);
    return new StreamableFile(auditCsv(download.events), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${download.fileName}"`,
    });
  }

  private async json(
    by: AuditContext,
    scope: AuditScope,
    query: AuditExportQueryDto,
  ): Promise<StreamableFile> {
    const download = await this.audit.download(by, scope, 'json', query);
    return new StreamableFile(auditJson(download.events), {
      type: 'application/json; charset=utf-8',
      disposition: `attachment; filename="${download.fileName}"`,
    });
  }
}
