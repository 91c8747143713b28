import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { AsOfQueryDto, AsOfResponseDto, ObjectHistoryDto, ObjectParamsDto } from './history.dto';
import { HistoryService } from './history.service';
import { Requires } from '../auth/access.decorator';

@ApiTags('history')
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'NO_ACCESS or TENANT_FORBIDDEN' })
@ApiBadRequestResponse({
  type: ErrorBodyDto,
  description:
    'HISTORY_INVALID_REQUEST (unknown type or collection, a log type, a bad date) or VALIDATION_FAILED',
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'HISTORY_OBJECT_NOT_FOUND (never backed up)' })
@Controller('tenants/:tenantId/objects/:type/:collection/:objectId')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('history')
  @Requires('tenants:read')
  @ApiOperation({
    summary: "An object's versions across snapshots: created, changed (old → new), deleted, restored",
    description:
      'Each change carries its property changes, the members/owners/manager added or removed (by name), and ' +
      'the directory audit entries naming the object between the previous snapshot and this one.',
  })
  @ApiOkResponse({ type: ObjectHistoryDto })
  getHistory(@Param() params: ObjectParamsDto) {
    return this.history.objectHistory(params.tenantId, params.type, params.collection, params.objectId);
  }

  @Get('as-of')
  @Requires('tenants:read')
  @ApiOperation({
    summary: "An object's relationships as of a date, and the changes until a second date or now",
  })
  @ApiOkResponse({ type: AsOfResponseDto })
  getAsOf(@Param() params: ObjectParamsDto, @Query() query: AsOfQueryDto) {
    return this.history.asOf(
      params.tenantId,
      params.type,
      params.collection,
      params.objectId,
      query.date,
      query.until,
    );
  }
}
