import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import type { Actor } from '../audit/audit-action';
import { Access, CurrentActor, CurrentPrincipal, Public, Requires } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { OnboardingService } from './onboarding.service';
import {
  CreateOnboardingLinkDto,
  OnboardingAcceptedDto,
  OnboardingInvitationDto,
  OnboardingLinkDto,
  OnboardingLinkListDto,
  OnboardingLinkParamsDto,
  OnboardingTokenParamsDto,
  PartnerIdParamsDto,
} from './partners.dto';

const PARTNER_FORBIDDEN = {
  type: ErrorBodyDto,
  description:
    'TENANT_FORBIDDEN (not this partner), PERMISSION_DENIED (the role cannot onboard) or CSRF_TOKEN_INVALID',
};

@ApiTags('onboarding')
@Controller()
export class OnboardingController {
  constructor(private readonly onboarding: OnboardingService) {}

  @Get('partners/:partnerId/onboarding-links')
  @Requires('customers:onboard')
  @ApiOperation({ summary: "The partner's onboarding links, newest first (without their URLs)" })
  @ApiOkResponse({ type: OnboardingLinkListDto })
  @ApiForbiddenResponse(PARTNER_FORBIDDEN)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND' })
  listLinks(@Param() params: PartnerIdParamsDto) {
    return this.onboarding.list(params.partnerId);
  }

  @Post('partners/:partnerId/onboarding-links')
  @Requires('customers:onboard')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a single-use, expiring onboarding link for a new customer',
    description:
      "The answer's `url` is shown this once (only a hash of its token is kept): send it to the customer's " +
      'Global Administrator, who opens it, signs in and accepts.',
  })
  @ApiCreatedResponse({ type: OnboardingLinkDto })
  @ApiForbiddenResponse(PARTNER_FORBIDDEN)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND' })
  createLink(
    @Param() params: PartnerIdParamsDto,
    @Body() body: CreateOnboardingLinkDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.onboarding.create(params.partnerId, body, actor);
  }

  @Delete('partners/:partnerId/onboarding-links/:linkId')
  @Requires('customers:onboard')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an onboarding link that has not been used' })
  @ApiNoContentResponse({ description: 'Revoked (or revoked already)' })
  @ApiForbiddenResponse(PARTNER_FORBIDDEN)
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PARTNER_NOT_FOUND or ONBOARDING_LINK_NOT_FOUND' })
  @ApiGoneResponse({ type: ErrorBodyDto, description: 'ONBOARDING_LINK_USED' })
  async revokeLink(@Param() params: OnboardingLinkParamsDto, @CurrentActor() actor: Actor): Promise<void> {
    await this.onboarding.revoke(params.partnerId, params.linkId, actor);
  }

  @Get('onboarding/:token')
  @Public()
  @ApiOperation({
    summary: 'What an onboarding link invites the customer to (partner, customer name, expiry, status)',
  })
  @ApiOkResponse({ type: OnboardingInvitationDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'ONBOARDING_LINK_NOT_FOUND' })
  getInvitation(@Param() params: OnboardingTokenParamsDto) {
    return this.onboarding.invitation(params.token);
  }

  @Post('onboarding/:token/accept')
  @Access('session')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Accept an onboarding link: the signed-in admin's tenant is linked to the partner",
    description:
      'The caller must be a Global Administrator (or Privileged Role Administrator) signed in to their own ' +
      'tenant. The tenant is registered if new and linked to the partner while the link is used up; ' +
      "`consentUrl` is Microsoft's admin-consent page when consent is not granted yet, else null.",
  })
  @ApiOkResponse({ type: OnboardingAcceptedDto })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'AUTHENTICATION_REQUIRED' })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'ONBOARDING_TENANT_ADMIN_REQUIRED or CSRF_TOKEN_INVALID',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'ONBOARDING_LINK_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'TENANT_ALREADY_MANAGED: another partner manages the tenant',
  })
  @ApiGoneResponse({
    type: ErrorBodyDto,
    description: 'ONBOARDING_LINK_EXPIRED, ONBOARDING_LINK_USED or ONBOARDING_LINK_REVOKED',
  })
  acceptInvitation(
    @Param() params: OnboardingTokenParamsDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ) {
    return this.onboarding.accept(params.token, principal, req.sessionID);
  }
}
