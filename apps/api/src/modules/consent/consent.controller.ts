import { clientAddress } from '../../core/http/client-address';
import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { AccessService } from '../auth/access.service';
import { CurrentPrincipal, Public, Requires } from '../auth/access.decorator';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { TenantIdParamsDto } from '../tenants/tenants.dto';
import { ConsentException } from './consent.exception';
import { ConsentStartDto, ConsentStatusDto } from './consent.dto';
import { type ConsentCallbackQuery, ConsentService } from './consent.service';
import { consentStatePage } from './consent-state-page';

@ApiTags('consent')
@Controller()
export class ConsentController {
  constructor(
    private readonly consent: ConsentService,
    private readonly access: AccessService,
  ) {}

  @Get('tenants/:tenantId/consent')
  @Requires('tenants:read')
  @ApiOperation({ summary: 'Whether admin consent is granted, and which read and write permissions' })
  @ApiOkResponse({ type: ConsentStatusDto })
  getConsent(@Param() params: TenantIdParamsDto) {
    return this.consent.status(params.tenantId);
  }

  @Post('tenants/:tenantId/consent/start')
  @Requires('settings:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The URL of Microsoft's admin-consent page (single-use state, 10 minutes)" })
  @ApiOkResponse({ type: ConsentStartDto })
  startConsent(
    @Param() params: TenantIdParamsDto,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
  ) {
    // Microsoft asks the tenant's own Global Administrator, signed in to the tenant, to consent;
    // partner staff send the customer an onboarding link instead.
    const user = principal.user;
    if (user === undefined || user.tenantId !== params.tenantId.toLowerCase() || user.roles.length === 0) {
      throw AuthException.tenantAdminRequired();
    }
    return this.consent.start(params.tenantId, req.sessionID, user, principal.address);
  }

  @Get('consent/callback')
  @Public()
  @ApiOperation({ summary: 'Where Microsoft returns after admin consent; redirects to Settings' })
  @ApiFoundResponse({ description: 'Redirect to /settings/<tenantId>?consent=granted|failed' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'CONSENT_STATE_INVALID' })
  async completeConsent(
    @Query() query: ConsentCallbackQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let outcome: Awaited<ReturnType<ConsentService['complete']>>;
    try {
      outcome = await this.consent.complete(
        query,
        req.session?.user ? req.sessionID : undefined,
        req.session?.user,
        clientAddress(req),
      );
    } catch (error) {
      // A browser gets a readable page; API clients the standard error body.
      if (error instanceof ConsentException && req.accepts(['json', 'html']) === 'html') {
        res.status(HttpStatus.BAD_REQUEST).type('html').send(consentStatePage(error.message));
        return;
      }
      throw error;
    }
    if (outcome.granted && req.session.user) {
      // With consent in place the role can be confirmed from the directory instead of `wids`,
      // and the tenant gets its organization name.
      req.session.user = await this.access.refreshed(req.session.user, true);
      await this.consent.nameTenantFromDirectory(outcome.tenantId, req.session.user.upn);
    }
    res.redirect(302, outcome.redirectTo);
  }
}
