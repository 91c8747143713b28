import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { StartLiveCompareRequest } from '@entra-backup/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { withNextCursor } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { CurrentActor, Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { compareCsv, compareJson } from './compare-download';
import {
  CompareObjectPageDto,
  CompareObjectsQueryDto,
  CompareQueryDto,
  CompareSummaryDto,
  StartLiveCompareDto,
  startLiveCompareBodySchema,
  StartLiveCompareResponseDto,
} from './compare.dto';
import { CompareApiService } from './compare-api.service';

const LIVE_NOTE =
  '`to=live` first reads the live tenant through Graph (a backup of the compared types, trigger `compare`) and ' +
  'answers when it has finished; the answer names that snapshot, so later pages can use its id. For large ' +
  'tenants start the read with `POST compare/live` and compare with its snapshot when the run has ended.';

@ApiTags('compare')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS (not an admin), TENANT_FORBIDDEN (another tenant) or CSRF_TOKEN_INVALID',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND or SNAPSHOT_NOT_FOUND' })
@ApiConflictResponse({
  type: ErrorBodyDto,
  description: '`to=live` only: CONSENT_REQUIRED or BACKUP_ALREADY_RUNNING',
})
@ApiBadGatewayResponse({ type: ErrorBodyDto, description: '`to=live` only: COMPARE_LIVE_READ_FAILED' })
@Controller('tenants/:tenantId/compare')
export class CompareController {
  constructor(private readonly compare: CompareApiService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      'What differs between two snapshots (or a snapshot and `live`): added, changed, removed per type',
    description: LIVE_NOTE,
  })
  @ApiOkResponse({ type: CompareSummaryDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or COMPARE_NO_TYPES' })
  summary(@Param() params: TenantIdParamsDto, @Query() query: CompareQueryDto, @CurrentActor() actor: Actor) {
    return this.compare.summary(params.tenantId, query, actor);
  }

  @Get('objects')
  @Requires('tenants:read')
  @ApiOperation({
    summary: "One type's differing objects with names and property-level old → new values, paged",
    description: LIVE_NOTE,
  })
  @ApiOkResponse({ type: CompareObjectPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or COMPARE_NO_TYPES' })
  async objects(
    @Param() params: TenantIdParamsDto,
    @Query() query: CompareObjectsQueryDto,
    @CurrentActor() actor: Actor,
  ) {
    return withNextCursor(query, await this.compare.objects(params.tenantId, query, actor));
  }

  @Get('compare.csv')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The comparison as CSV: type, collection, id, name, change, property, old, new (streamed)',
    description:
      'Values a spreadsheet would run as formulas (= + - @) start with an apostrophe. ' + LIVE_NOTE,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv, one row per property difference or per added/removed object' })
  async csv(
    @Param() params: TenantIdParamsDto,
    @Query() query: CompareQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    const download = await this.compare.download(params.tenantId, query, by, 'csv');
    return new StreamableFile(compareCsv(download), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName(download.summary, 'csv')}"`,
    });
  }

  @Get('compare.json')
  @Requires('exports:download')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The comparison as JSON: the summary and every differing object (streamed)',
    description: LIVE_NOTE,
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: '`{ from, to, types, totals, objects: [{ type, ...object }] }`' })
  async json(
    @Param() params: TenantIdParamsDto,
    @Query() query: CompareQueryDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    const download = await this.compare.download(params.tenantId, query, by, 'json');
    return new StreamableFile(compareJson(download), {
      type: 'application/json; charset=utf-8',
      disposition: `attachment; filename="${fileName(download.summary, 'json')}"`,
    });
  }

  @Post('live')
  @Requires('tenants:read')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start reading the live tenant for a comparison (a backup of the types, trigger `compare`)',
    description:
      'Follow the run at `GET backups/:runId` (or its events); when it has finished, compare with ' +
      '`to=<summary.snapshotId>`. Default types: those the `from` snapshot holds objects of, else the ' +
      'enabled ones; log types are not read.',
  })
  @ApiBody({ type: StartLiveCompareDto, required: false })
  @ApiAcceptedResponse({ type: StartLiveCompareResponseDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or COMPARE_NO_TYPES' })
  startLiveRead(
    @Param() params: TenantIdParamsDto,
    @Body(new ZodValidationPipe(startLiveCompareBodySchema)) body: StartLiveCompareRequest,
    @CurrentActor() actor: Actor,
  ) {
    return this.compare.startLiveRead(params.tenantId, body, actor);
  }
}

function fileName(
  summary: { from: { seq: number }; to: { seq: number; live: boolean } },
  ext: string,
): string {
  return `compare-${summary.from.seq}-${summary.to.live ? 'live' : summary.to.seq}.${ext}`;
}
