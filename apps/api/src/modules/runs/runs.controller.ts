import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Sse } from '@nestjs/common';
import {
  ApiAcceptedResponse,
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
import { type StartBackupRequest, withNextCursor } from '@entra-backup/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { toServerSentEvents } from '../../core/http/server-sent-events';
import { Idempotent } from '../idempotency/idempotent.decorator';
import type { AuditContext } from '../audit/audit-context';
import { Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import {
  BackupHistoryDto,
  BackupHistoryQueryDto,
  BackupRunDto,
  BackupRunPageDto,
  backupProgressEventJsonSchema,
  ListBackupRunsQueryDto,
  RunParamsDto,
  StartBackupDto,
  startBackupBodySchema,
  StartBackupResponseDto,
} from './runs.dto';
import { RunsService } from './runs.service';

@ApiTags('backups')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS (not an admin), TENANT_FORBIDDEN (another tenant) or CSRF_TOKEN_INVALID',
})
@Controller('tenants/:tenantId/backups')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @Requires('backups:start')
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a backup now (the enabled types, or the ones named); it runs in the background',
  })
  @ApiBody({ type: StartBackupDto, required: false })
  @ApiAcceptedResponse({ type: StartBackupResponseDto })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'BACKUP_ALREADY_RUNNING (a run of the tenant holds its lease) or CONSENT_REQUIRED',
  })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'BACKUP_NO_TYPES (nothing enabled) or VALIDATION_FAILED',
  })
  startBackup(
    @Param() params: TenantIdParamsDto,
    @Body(new ZodValidationPipe(startBackupBodySchema)) body: StartBackupRequest,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.runs.startBackup(params.tenantId, body, by);
  }

  @Get()
  @Requires('tenants:read')
  @ApiOperation({
    summary: "The tenant's backup runs, newest first, paged (pages start at 1, or follow `nextCursor`)",
  })
  @ApiOkResponse({ type: BackupRunPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (page, pageSize, cursor)' })
  async listRuns(@Param() params: TenantIdParamsDto, @Query() query: ListBackupRunsQueryDto) {
    return withNextCursor(query, await this.runs.listRuns(params.tenantId, query));
  }

  // Declared before `:runId`, which would otherwise take `history` for a run id.
  @Get('history')
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      'Backup history: objects per type, run duration, Graph requests and storage per visible snapshot',
    description:
      'One point per visible snapshot of the last `days` days (default 30, at most 366), oldest first. ' +
      '`totalBytesStored` is what all runs of the tenant stored up to that snapshot.',
  })
  @ApiOkResponse({ type: BackupHistoryDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (days)' })
  history(@Param() params: TenantIdParamsDto, @Query() query: BackupHistoryQueryDto) {
    return this.runs.history(params.tenantId, query);
  }

  @Get(':runId')
  @Requires('tenants:read')
  @ApiOperation({ summary: 'One run with its per-type results (poll this while a run is going)' })
  @ApiOkResponse({ type: BackupRunDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'BACKUP_RUN_NOT_FOUND' })
  getRun(@Param() params: RunParamsDto) {
    return this.runs.getRun(params.tenantId, params.runId);
  }

  @Sse(':runId/events')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'Live progress of a run as server-sent events, until it ends',
    description:
      "Each event's `data` is one progress event as JSON. The stream replays the events so far, follows the " +
      'run, and closes after `run-finished` or `run-failed`; a finished run sends its final event and closes.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'text/event-stream of progress events',
    schema: backupProgressEventJsonSchema as object,
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'BACKUP_RUN_NOT_FOUND' })
  async streamProgress(@Param() params: RunParamsDto) {
    return toServerSentEvents(await this.runs.progress(params.tenantId, params.runId));
  }
}
