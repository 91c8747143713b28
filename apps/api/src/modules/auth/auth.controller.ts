import { clientAddress } from '../../core/http/client-address';
import { Controller, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiFoundResponse,
  ApiTooManyRequestsResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PORTAL_PATHS } from '@entra-backup/common';
import { Access, OptionalPrincipal, Public } from './access.decorator';
import type { Principal } from './principal';
import { AuthService } from './auth.service';
import { ErrorBodyDto } from '../../core/errors/error-body.dto';
import { SessionDto } from './auth.dto';
import { EntraOidcGuard, EntraOidcStartGuard, type SignInOutcome } from './entra-oidc.strategy';
import { SESSION_COOKIE } from './session.middleware';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('session')
  @Public()
  @ApiOperation({
    summary:
      'Who is signed in, the CSRF token for state-changing requests, and whether this is the demo mode',
  })
  @ApiOkResponse({ type: SessionDto })
  getSession(@Req() req: Request, @OptionalPrincipal() principal: Principal | undefined) {
    return this.auth.describeSession(req.session, principal);
  }

  @Get('login')
  @Public()
  @UseGuards(EntraOidcStartGuard)
  @ApiOperation({ summary: 'Redirects to "Sign in with Microsoft 365" (optional `returnTo` portal path)' })
  @ApiFoundResponse({ description: 'Redirect to the Microsoft identity platform' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: "SIGN_IN_FAILED: Microsoft's answer (code, error) sent here instead of to the callback",
  })
  @ApiTooManyRequestsResponse({
    type: ErrorBodyDto,
    description: 'RATE_LIMITED: too many sign-ins started from this address (see Retry-After)',
  })
  startSignIn() {
    // The guard's strategy has already answered with the redirect.
  }

  @Get('callback')
  @Public()
  @UseGuards(EntraOidcGuard)
  @ApiOperation({ summary: 'Completes sign-in and redirects back to the portal' })
  @ApiFoundResponse({ description: 'Redirect to the portal (`returnTo`, `/no-access` or `/?signInError=`)' })
  async completeSignIn(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = req.user as SignInOutcome;
    if (!outcome.ok) {
      res.redirect(
        302,
        `${PORTAL_PATHS.home}?${PORTAL_PATHS.signInErrorParam}=${encodeURIComponent(outcome.message)}`,
      );
      return;
    }
    const { principal, hasAccess } = await this.auth.completeSignIn(outcome.identity, clientAddress(req));
    // A new session id at the privilege change, so an id planted before sign-in is worthless.
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((err) => (err ? reject(err) : resolve())),
    );
    req.session.user = principal;
    req.session.csrfToken = this.auth.newCsrfToken();
    res.redirect(302, hasAccess ? outcome.returnTo : PORTAL_PATHS.noAccess);
  }

  @Post('logout')
  @Access('session')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Signs out (needs the x-csrf-token header)' })
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const user = req.session.user;
    const emergency = req.session.emergency;
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((err) => (err ? reject(err) : resolve())),
    );
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    if (user !== undefined) await this.auth.recordSignOut(user, clientAddress(req));
    if (emergency !== undefined) await this.auth.recordEmergencySignOut(emergency, clientAddress(req));
  }
}
