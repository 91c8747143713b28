import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { auditContextOf } from '../audit/audit-context';
import { CurrentPrincipal, Requires } from '../auth/access.decorator';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { TenantAccess } from '../auth/tenant-access.service';
import { SnapshotExportQueryDto, SnapshotParamsDto } from './export.dto';
import { attachmentDisposition, SnapshotDownloadService } from './snapshot-download.service';

@ApiTags('snapshots')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS (not an admin) or TENANT_FORBIDDEN (another tenant)',
})
@Controller('tenants/:tenantId')
export class ExportController {
  constructor(
    private readonly downloads: SnapshotDownloadService,
    private readonly access: TenantAccess,
  ) {}

  @Get('snapshots/:snapshot/export.zip')
  @Requires('exports:download')
  @ApiOperation({
    summary: 'Download a snapshot (all or some types) as a zip of the export format, streamed',
    description:
      'One JSON-lines file per stored collection (`users.jsonl`, `builtInRoles.roleAssignments.jsonl`), ' +
      'as `entra-backup export` writes them. BitLocker recovery keys are left out of the bitlockerKeys ' +
      'type unless `bitlockerKeys=true`, which is recorded in the audit trail.',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (an unknown type, bitlockerKeys)',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND or TENANT_NOT_FOUND' })
  async downloadZip(
    @Param() params: SnapshotParamsDto,
    @Query() query: SnapshotExportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    // The keys themselves are secrets: a Viewer or an export-only key gets the type without them.
    if (
      String(query.bitlockerKeys) === 'true' &&
      !(await this.access.allows(principal, 'secrets:reveal', params.tenantId))
    ) {
      throw AuthException.permissionDenied('secrets:reveal');
    }
    const download = await this.downloads.prepare(
      params.tenantId,
      params.snapshot,
      query,
      auditContextOf(principal),
    );
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', attachmentDisposition(download.fileName));
    // The zip may hold BitLocker keys: no shared cache may keep it.
    res.setHeader('Cache-Control', 'no-store');
    await this.downloads.stream(download, res);
  }
}
