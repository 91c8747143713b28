import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { AuditContext } from '../audit/audit-context';
import { Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { NotificationService } from './notification.service';
import {
  CreatedNotificationRecipientDto,
  CreateNotificationRecipientDto,
  NotificationPageDto,
  NotificationQueryDto,
  NotificationRecipientListDto,
  PartnerParamsDto,
  PartnerRecipientParamsDto,
  TenantRecipientParamsDto,
  TestNotificationResultDto,
} from './notifications.dto';
import { RecipientsService } from './recipients.service';

const FORBIDDEN = 'TENANT_FORBIDDEN (another tenant or partner), PERMISSION_DENIED or CSRF_TOKEN_INVALID';

@ApiTags('notifications')
@ApiForbiddenResponse({ type: ErrorBodyDto, description: FORBIDDEN })
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationService,
    private readonly recipients: RecipientsService,
  ) {}

  @Get('tenants/:tenantId/notifications')
  @Requires('tenants:read')
  @ApiOperation({
    summary:
      "The tenant's notifications (alerts, emergency sign-ins, ...), newest first: the delivery log, " +
      'with every attempt and its outcome',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or NOTIFICATION_INVALID_CURSOR',
  })
  listNotifications(@Param() params: TenantIdParamsDto, @Query() query: NotificationQueryDto) {
    return this.notifications.page(params.tenantId, query);
  }

  @Get('tenants/:tenantId/notification-recipients')
  // A webhook URL may be a secret in itself (chat incoming webhooks): only for those who may change them.
  @Requires('settings:write')
  @ApiOperation({ summary: "Who is told of the tenant's alerts (mail addresses, webhooks)" })
  @ApiOkResponse({ type: NotificationRecipientListDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  listTenantRecipients(@Param() params: TenantIdParamsDto) {
    return this.recipients.list({ kind: 'tenant', id: params.tenantId });
  }

  @Post('tenants/:tenantId/notification-recipients')
  @Requires('settings:write')
  @ApiOperation({
    summary: 'Add a mail address or webhook told of the tenant’s alerts',
    description: "A webhook's signing secret is in the answer, once; it is never shown again.",
  })
  @ApiCreatedResponse({ type: CreatedNotificationRecipientDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  addTenantRecipient(
    @Param() params: TenantIdParamsDto,
    @Body() body: CreateNotificationRecipientDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.recipients.add({ kind: 'tenant', id: params.tenantId }, body, by);
  }

  @Delete('tenants/:tenantId/notification-recipients/:recipientId')
  @Requires('settings:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop telling a recipient of the tenant’s alerts' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'TENANT_NOT_FOUND or NOTIFICATION_RECIPIENT_NOT_FOUND',
  })
  async removeTenantRecipient(
    @Param() params: TenantRecipientParamsDto,
    @CurrentAuditContext() by: AuditContext,
  ): Promise<void> {
    await this.recipients.remove({ kind: 'tenant', id: params.tenantId }, params.recipientId, by);
  }

  @Post('tenants/:tenantId/notification-recipients/:recipientId/test')
  @Requires('settings:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send a test notification to one recipient; the outcome is in the delivery log' })
  @ApiOkResponse({ type: TestNotificationResultDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'TENANT_NOT_FOUND or NOTIFICATION_RECIPIENT_NOT_FOUND',
  })
  testTenantRecipient(@Param() params: TenantRecipientParamsDto, @CurrentAuditContext() by: AuditContext) {
    return this.recipients.sendTest({ kind: 'tenant', id: params.tenantId }, params.recipientId, by);
  }

  @Get('partners/:partnerId/notification-recipients')
  @Requires('settings:write')
  @ApiOperation({ summary: "Who at the partner is told of every customer's alerts" })
  @ApiOkResponse({ type: NotificationRecipientListDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'NOTIFICATION_PARTNER_NOT_FOUND' })
  listPartnerRecipients(@Param() params: PartnerParamsDto) {
    return this.recipients.list({ kind: 'partner', id: params.partnerId });
  }

  @Post('partners/:partnerId/notification-recipients')
  @Requires('settings:write')
  @ApiOperation({
    summary: "Add a mail address or webhook told of every customer's alerts",
    description: "A webhook's signing secret is in the answer, once; it is never shown again.",
  })
  @ApiCreatedResponse({ type: CreatedNotificationRecipientDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'NOTIFICATION_PARTNER_NOT_FOUND' })
  addPartnerRecipient(
    @Param() params: PartnerParamsDto,
    @Body() body: CreateNotificationRecipientDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.recipients.add({ kind: 'partner', id: params.partnerId }, body, by);
  }

  @Delete('partners/:partnerId/notification-recipients/:recipientId')
  @Requires('settings:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Stop telling a partner's recipient of its customers' alerts" })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'NOTIFICATION_PARTNER_NOT_FOUND or NOTIFICATION_RECIPIENT_NOT_FOUND',
  })
  async removePartnerRecipient(
    @Param() params: PartnerRecipientParamsDto,
    @CurrentAuditContext() by: AuditContext,
  ): Promise<void> {
    await this.recipients.remove({ kind: 'partner', id: params.partnerId }, params.recipientId, by);
  }

  @Post('partners/:partnerId/notification-recipients/:recipientId/test')
  @Requires('settings:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Send a test notification to one of the partner's recipients" })
  @ApiOkResponse({ type: TestNotificationResultDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'NOTIFICATION_PARTNER_NOT_FOUND or NOTIFICATION_RECIPIENT_NOT_FOUND',
  })
  testPartnerRecipient(@Param() params: PartnerRecipientParamsDto, @CurrentAuditContext() by: AuditContext) {
    return this.recipients.sendTest({ kind: 'partner', id: params.partnerId }, params.recipientId, by);
  }

  @Get('partners/:partnerId/notifications')
  @Requires('settings:write')
  @ApiOperation({
    summary: "What was sent to the partner's recipients, newest first, with every attempt",
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED or NOTIFICATION_INVALID_CURSOR',
  })
  listPartnerNotifications(@Param() params: PartnerParamsDto, @Query() query: NotificationQueryDto) {
    return this.notifications.pageForPartner(params.partnerId, query);
  }
}
