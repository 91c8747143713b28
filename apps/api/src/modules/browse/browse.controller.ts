import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type RevealKeyRequest, revealKeyRequestSchema } from '@entra-backup/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { withNextCursor } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { AuditContext } from '../audit/audit-context';
import { Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import {
  BrowseObjectPageDto,
  BrowseObjectsQueryDto,
  BrowseSnapshotDetailDto,
  BrowseSnapshotPageDto,
  KeyParamsDto,
  ListSnapshotsQueryDto,
  ObjectDetailDto,
  ObjectParamsDto,
  RevealKeyDto,
  RevealKeyResponseDto,
  SnapshotParamsDto,
  TypeParamsDto,
} from './browse.dto';
import { BrowseService } from './browse.service';

@ApiTags('browse')
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: 'NO_ACCESS (not an admin), TENANT_FORBIDDEN (another tenant) or CSRF_TOKEN_INVALID',
})
@Controller('tenants/:tenantId/snapshots')
export class BrowseController {
  constructor(private readonly browse: BrowseService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: "The tenant's snapshots, newest first, paged, with the run's objects per type" })
  @ApiOkResponse({ type: BrowseSnapshotPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (page, pageSize, cursor)' })
  async listSnapshots(@Param() params: TenantIdParamsDto, @Query() query: ListSnapshotsQueryDto) {
    return withNextCursor(query, await this.browse.listSnapshots(params.tenantId, query));
  }

  @Get(':snapshot')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'One snapshot (id, sequence number or `latest`) with exact counts per type and collection',
  })
  @ApiOkResponse({ type: BrowseSnapshotDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND' })
  getSnapshot(@Param() params: SnapshotParamsDto) {
    return this.browse.getSnapshot(params.tenantId, params.snapshot);
  }

  @Get(':snapshot/types/:type/objects')
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      'Objects of a type (or log entries) as of a snapshot: paged, sorted, searched and filtered server-side',
    description:
      '`search` matches names, sign-in names, mail, appId and ids (case-insensitive substring). `sort` takes any ' +
      "column key; `filter` is `column:value[,column:value]` with values from the column's filter list; `from`/`to` " +
      'bound the time of log entries. No key material is ever listed.',
  })
  @ApiOkResponse({ type: BrowseObjectPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'BROWSE_UNKNOWN_TYPE, BROWSE_UNKNOWN_COLLECTION, BROWSE_INVALID_QUERY or VALIDATION_FAILED',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND' })
  async listObjects(@Param() params: TypeParamsDto, @Query() query: BrowseObjectsQueryDto) {
    return withNextCursor(
      query,
      await this.browse.listObjects(params.tenantId, params.snapshot, params.type, query),
    );
  }

  @Get(':snapshot/types/:type/objects/:collection/:objectId')
  @Requires('tenants:read')
  @ApiOperation({
    summary: 'One object as of a snapshot: properties with secrets masked, relationships by name both ways',
  })
  @ApiOkResponse({ type: ObjectDetailDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'BROWSE_UNKNOWN_TYPE or BROWSE_UNKNOWN_COLLECTION',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND or BROWSE_OBJECT_NOT_FOUND' })
  getObject(@Param() params: ObjectParamsDto) {
    return this.browse.getObject(
      params.tenantId,
      params.snapshot,
      params.type,
      params.collection,
      params.objectId,
    );
  }

  @Post(':snapshot/bitlocker-keys/:keyId/reveal')
  @Requires('secrets:reveal')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reveal one BitLocker recovery key (needs `"confirm": true`; recorded in the audit trail)',
  })
  @ApiBody({ type: RevealKeyDto })
  @ApiOkResponse({ type: RevealKeyResponseDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (no confirmation)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SNAPSHOT_NOT_FOUND or BROWSE_OBJECT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'BROWSE_KEY_UNAVAILABLE' })
  revealKey(
    @Param() params: KeyParamsDto,
    @Body(new ZodValidationPipe(revealKeyRequestSchema)) body: RevealKeyRequest,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.browse.revealKey(params.tenantId, params.snapshot, params.keyId, body, by);
  }
}
