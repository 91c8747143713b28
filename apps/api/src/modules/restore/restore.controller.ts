import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Query, Sse } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { withNextCursor } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { toServerSentEvents } from '../../core/http/server-sent-events';
import { auditContextOf } from '../audit/audit-context';
import { CurrentPrincipal, Requires } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { TenantAccess } from '../auth/tenant-access.service';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { RestoreApiService, type RestoreCaller } from './restore-api.service';
import {
  CreateRestorePlanDto,
  ExecuteRestoreDto,
  ExecuteRestoreResponseDto,
  ListRestoreActionsQueryDto,
  ListRestoresQueryDto,
  PlanParamsDto,
  RestoreActionPageDto,
  RestoreCredentialListDto,
  RestoreParamsDto,
  RestorePlanSummaryDto,
  restoreProgressEventJsonSchema,
  RestoreRunDto,
  RestoreRunPageDto,
  RestoreUndoDto,
} from './restore.dto';

@ApiTags('restores')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS (not an admin), TENANT_FORBIDDEN (another tenant) or CSRF_TOKEN_INVALID',
})
@Controller('tenants/:tenantId')
export class RestoreController {
  constructor(
    private readonly restores: RestoreApiService,
    private readonly access: TenantAccess,
  ) {}

  private callerOf(principal: Principal): RestoreCaller {
    return {
      actor: auditContextOf(principal),
      mayRestoreInto: (tenantId) => this.access.allows(principal, 'restores:run', tenantId),
    };
  }

  @Post('restore-plans')
  @Requires('restores:run')
  @Idempotent()
  @ApiOperation({
    summary: 'Compute what restoring a snapshot (or part of it) would do; writes nothing to the tenant',
    description:
      'Takes a fresh backup of the tenant and compares it with the snapshot. Restoring into another ' +
      'tenant (`targetTenantId`) is refused here with TENANT_FORBIDDEN: a browser session only has rights ' +
      'in its own tenant; use the command line (`entra-backup restore --to-tenant`).',
  })
  @ApiCreatedResponse({ type: RestorePlanSummaryDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or RESTORE_INVALID_REQUEST' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND or TENANT_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'CONSENT_REQUIRED or RESTORE_TENANT_BUSY (a backup or restore of the tenant is running)',
  })
  createPlan(
    @Param() params: TenantIdParamsDto,
    @Body() body: CreateRestorePlanDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.restores.createPlan(params.tenantId, body, this.callerOf(principal));
  }

  @Get('restore-plans/:planId')
  @Requires('tenants:read')
  @ApiOperation({ summary: 'A plan: its selection, counts by action, what cannot be restored' })
  @ApiOkResponse({ type: RestorePlanSummaryDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (planId)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_PLAN_NOT_FOUND' })
  getPlan(@Param() params: PlanParamsDto) {
    return this.restores.getPlan(params.tenantId, params.planId);
  }

  @Get('restore-plans/:planId/actions')
  @Requires('tenants:read')
  @ApiOperation({ summary: "A plan's actions in execution order, paged (pages start at 1)" })
  @ApiOkResponse({ type: RestoreActionPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (planId, page, pageSize)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_PLAN_NOT_FOUND' })
  async listPlanActions(@Param() params: PlanParamsDto, @Query() query: ListRestoreActionsQueryDto) {
    return withNextCursor(query, await this.restores.listPlanActions(params.tenantId, params.planId, query));
  }

  @Post('restores')
  @Requires('restores:run')
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Execute a plan; it runs in the background (follow it with /restores/{restoreId}/events)',
  })
  @ApiAcceptedResponse({ type: ExecuteRestoreResponseDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_PLAN_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'RESTORE_PLAN_USED, RESTORE_PERMISSION_MISSING (consent lacks a write permission), ' +
      'RESTORE_TENANT_BUSY or CONSENT_REQUIRED',
  })
  startRestore(
    @Param() params: TenantIdParamsDto,
    @Body() body: ExecuteRestoreDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.restores.startExecute(params.tenantId, body, this.callerOf(principal));
  }

  @Get('restores')
  @Requires('tenants:read')
  @ApiOperation({ summary: "The tenant's restores (into it or from its snapshots), newest first, paged" })
  @ApiOkResponse({ type: RestoreRunPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or RESTORE_INVALID_REQUEST (page, pageSize)',
  })
  async listRestores(@Param() params: TenantIdParamsDto, @Query() query: ListRestoresQueryDto) {
    return withNextCursor(query, await this.restores.listRestores(params.tenantId, query));
  }

  @Get('restores/:restoreId')
  @Requires('tenants:read')
  @ApiOperation({ summary: 'One restore with its counts and id map (poll this while it runs)' })
  @ApiOkResponse({ type: RestoreRunDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (restoreId)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_NOT_FOUND' })
  getRestore(@Param() params: RestoreParamsDto) {
    return this.restores.getRestore(params.tenantId, params.restoreId);
  }

  @Get('restores/:restoreId/undo')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'The plan request that undoes a restore: its pre-restore backup, same types and objects',
    description:
      'Post `request` to /restore-plans to see and run the undo. Objects the restore brought back or ' +
      're-created are removed again (`removeNew` with their ids).',
  })
  @ApiOkResponse({ type: RestoreUndoDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (restoreId)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'RESTORE_UNDO_UNAVAILABLE (no pre-restore backup, or written into another tenant)',
  })
  undoRestore(@Param() params: RestoreParamsDto) {
    return this.restores.undo(params.tenantId, params.restoreId);
  }

  @Get('restores/:restoreId/actions')
  @Requires('tenants:read')
  @ApiOperation({ summary: "A restore's actions with their states and errors, paged (pages start at 1)" })
  @ApiOkResponse({ type: RestoreActionPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (restoreId, page, pageSize)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_NOT_FOUND' })
  async listRestoreActions(@Param() params: RestoreParamsDto, @Query() query: ListRestoreActionsQueryDto) {
    return withNextCursor(
      query,
      await this.restores.listRestoreActions(params.tenantId, params.restoreId, query),
    );
  }

  @Sse('restores/:restoreId/events')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'Live progress of a restore as server-sent events, until it ends',
    description:
      "Each event's `data` is one progress event as JSON. The stream replays the events so far, follows the " +
      'restore, and closes after `restore-finished` or `restore-failed`.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'text/event-stream of progress events',
    schema: restoreProgressEventJsonSchema as object,
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (restoreId)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_NOT_FOUND' })
  async streamProgress(@Param() params: RestoreParamsDto) {
    return toServerSentEvents(await this.restores.progress(params.tenantId, params.restoreId));
  }

  @Post('restores/:restoreId/credentials')
  @Requires('restores:run')
  @HttpCode(HttpStatus.OK)
  // Temporary passwords: no browser, proxy or cache may keep a copy.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The temporary passwords of the users the restore re-created; given once, then 410',
    description: 'Users must change the password at their next sign-in. The answer is never cached.',
  })
  @ApiOkResponse({ type: RestoreCredentialListDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (restoreId)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESTORE_NOT_FOUND' })
  @ApiGoneResponse({
    type: ErrorBodyDto,
    description: 'RESTORE_CREDENTIALS_GONE (already handed out, or the restore re-created no user)',
  })
  takeCredentials(@Param() params: RestoreParamsDto, @CurrentPrincipal() principal: Principal) {
    return this.restores.takeCredentials(params.tenantId, params.restoreId, this.callerOf(principal));
  }
}
