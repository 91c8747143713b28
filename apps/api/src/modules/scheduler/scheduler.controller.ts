import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { scheduleSchema } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { TenantsService } from '../tenants/tenants.service';
import { SchedulerService } from './scheduler.service';
import { Requires } from '../auth/access.decorator';

export class ScheduleDto extends createZodDto(scheduleSchema) {}

@ApiTags('schedule')
@Controller('tenants/:tenantId/schedule')
export class SchedulerController {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly tenants: TenantsService,
  ) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({ summary: 'When the next and the last automatic backup run (every 12 hours)' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  async getSchedule(@Param() params: TenantIdParamsDto) {
    await this.tenants.get(params.tenantId);
    return this.scheduler.getSchedule(params.tenantId);
  }
}
