import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { Requires } from '../auth/access.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { NotificationService } from './notification.service';
import { NotificationPageDto, NotificationQueryDto } from './notifications.dto';

@ApiTags('notifications')
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TENANT_FORBIDDEN (another tenant)' })
@Controller('tenants/:tenantId/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationService) {}

  @Get()
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      "The tenant's notifications (emergency sign-ins, ...), newest first, with how each was delivered",
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or NOTIFICATION_INVALID_CURSOR',
  })
  listNotifications(@Param() params: TenantIdParamsDto, @Query() query: NotificationQueryDto) {
    return this.notifications.page(params.tenantId, query);
  }
}
