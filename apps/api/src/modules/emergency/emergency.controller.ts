import { clientAddress } from '../../core/http/client-address';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EmergencySignInResponse } from '@entra-backup/common';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { AuditContext } from '../audit/audit-context';
import { Public, Requires } from '../auth/access.decorator';
import { CurrentAuditContext } from '../auth/audit-context.decorator';
import { AuthService } from '../auth/auth.service';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { EmergencySignInService } from './emergency-sign-in.service';
import {
  AccountParamsDto,
  BreakGlassAccountListDto,
  CreateBreakGlassAccountDto,
  CreatedBreakGlassAccountDto,
  EmergencyContactsDto,
  EmergencyPartnerParamsDto,
  EmergencySignInDto,
  EmergencySignInResponseDto,
  UpdateEmergencyContactsDto,
} from './emergency.dto';
import { EmergencyException } from './emergency.exception';
import { EmergencyService } from './emergency.service';

@ApiTags('emergency')
@Controller()
export class EmergencyController {
  constructor(
    private readonly emergency: EmergencyService,
    private readonly signIns: EmergencySignInService,
    private readonly auth: AuthService,
  ) {}

  @Post('emergency/sign-in')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sign in with a break-glass account (user name, password, TOTP code), without Microsoft',
    description:
      'Starts a session that may browse and restore that tenant only (send `csrfToken` as `x-csrf-token`). ' +
      'Five consecutive failures lock the user name for 15 minutes; too many failures from one address ' +
      'are refused for a while. Every attempt is audited and every success notified to the contacts.',
  })
  @ApiOkResponse({ type: EmergencySignInResponseDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({
    type: ErrorBodyDto,
    description:
      'EMERGENCY_SIGN_IN_FAILED (never says whether the tenant, user name, password or code was wrong)',
  })
  @ApiResponse({
    status: HttpStatus.LOCKED,
    type: ErrorBodyDto,
    description: 'EMERGENCY_ACCOUNT_LOCKED, with Retry-After (seconds)',
  })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'EMERGENCY_RATE_LIMITED, with Retry-After' })
  async signIn(
    @Body() body: EmergencySignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EmergencySignInResponse> {
    let account;
    try {
      account = await this.signIns.signIn(body, clientAddress(req));
    } catch (error) {
      if (error instanceof EmergencyException && error.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    // A new session id at the privilege change, so an id planted before sign-in is worthless.
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((err) => (err ? reject(err) : resolve())),
    );
    req.session.emergency = account;
    const csrfToken = this.auth.newCsrfToken();
    req.session.csrfToken = csrfToken;
    return { tenantId: account.tenantId, username: account.username, csrfToken };
  }

  @Get('tenants/:tenantId/break-glass-accounts')
  @Requires('emergency:manage')
  @ApiOperation({ summary: "The tenant's break-glass accounts (never their password or TOTP secret)" })
  @ApiOkResponse({ type: BreakGlassAccountListDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TENANT_FORBIDDEN or PERMISSION_DENIED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  listAccounts(@Param() params: TenantIdParamsDto) {
    return this.emergency.listAccounts(params.tenantId);
  }

  @Post('tenants/:tenantId/break-glass-accounts')
  @Requires('emergency:manage')
  @ApiOperation({
    summary: 'Create a break-glass account; the answer holds its TOTP secret and QR code, this once only',
    description:
      'The password has at least 14 characters and is not a common word, a sequence or the user name; ' +
      'it is stored as a scrypt hash. Scan the QR code (or type the secret) into an authenticator app.',
  })
  @ApiCreatedResponse({ type: CreatedBreakGlassAccountDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED (user name, weak password)' })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'TENANT_FORBIDDEN, PERMISSION_DENIED or CSRF_TOKEN_INVALID',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'BREAK_GLASS_USERNAME_TAKEN' })
  createAccount(
    @Param() params: TenantIdParamsDto,
    @Body() body: CreateBreakGlassAccountDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.emergency.createAccount(params.tenantId, body, by);
  }

  @Delete('tenants/:tenantId/break-glass-accounts/:accountId')
  @Requires('emergency:manage')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a break-glass account' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'TENANT_FORBIDDEN, PERMISSION_DENIED or CSRF_TOKEN_INVALID',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'BREAK_GLASS_ACCOUNT_NOT_FOUND' })
  async deleteAccount(@Param() params: AccountParamsDto, @CurrentAuditContext() by: AuditContext) {
    await this.emergency.deleteAccount(params.tenantId, params.accountId, by);
  }

  @Get('tenants/:tenantId/emergency-contacts')
  @Requires('emergency:manage')
  @ApiOperation({ summary: 'Who is told of emergency sign-ins to the tenant (addresses, webhook)' })
  @ApiOkResponse({ type: EmergencyContactsDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TENANT_FORBIDDEN or PERMISSION_DENIED' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  tenantContacts(@Param() params: TenantIdParamsDto) {
    return this.emergency.tenantContacts(params.tenantId);
  }

  @Put('tenants/:tenantId/emergency-contacts')
  @Requires('emergency:manage')
  @ApiOperation({ summary: "Replace the tenant's emergency contacts" })
  @ApiOkResponse({ type: EmergencyContactsDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED (an address, the webhook URL)',
  })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'TENANT_FORBIDDEN, PERMISSION_DENIED or CSRF_TOKEN_INVALID',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  updateTenantContacts(
    @Param() params: TenantIdParamsDto,
    @Body() body: UpdateEmergencyContactsDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.emergency.updateTenantContacts(params.tenantId, body, by);
  }

  @Get('partners/:partnerId/emergency-contacts')
  @Requires('emergency:manage')
  @ApiOperation({
    summary: "Who at the partner is told of emergency sign-ins to any of the partner's tenants",
  })
  @ApiOkResponse({ type: EmergencyContactsDto })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'TENANT_FORBIDDEN (another partner) or PERMISSION_DENIED',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'EMERGENCY_PARTNER_NOT_FOUND' })
  partnerContacts(@Param() params: EmergencyPartnerParamsDto) {
    return this.emergency.partnerContacts(params.partnerId);
  }

  @Put('partners/:partnerId/emergency-contacts')
  @Requires('emergency:manage')
  @ApiOperation({ summary: "Replace the partner's emergency contacts" })
  @ApiOkResponse({ type: EmergencyContactsDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'TENANT_FORBIDDEN (another partner), PERMISSION_DENIED or CSRF_TOKEN_INVALID',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'EMERGENCY_PARTNER_NOT_FOUND' })
  updatePartnerContacts(
    @Param() params: EmergencyPartnerParamsDto,
    @Body() body: UpdateEmergencyContactsDto,
    @CurrentAuditContext() by: AuditContext,
  ) {
    return this.emergency.updatePartnerContacts(params.partnerId, body, by);
  }
}
