import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { loginQuerySchema, PORTAL_PATHS } from '@entra-backup/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { clientAddress } from '../../core/http/client-address';
import { AuthException } from './auth.exception';
import { OidcClient, PENDING_SIGN_IN_TTL_MS, type VerifiedIdentity } from './oidc-client';
import { publicUrlRedirect } from './public-origin';
import { describeIdentityError } from './sign-in-errors';
import { SignInStartLimiter } from './sign-in-start-limiter';

export const ENTRA_OIDC = 'entra-oidc';

/** Which route runs the strategy: the start of a sign-in, or Microsoft's answer to it. */
export type OidcPhase = 'start' | 'callback';

/** What the strategy hands to the callback route. */
export type SignInOutcome =
  | { readonly ok: true; readonly identity: VerifiedIdentity; readonly returnTo: string }
  | { readonly ok: false; readonly message: string };

type Verify = (
  identity: VerifiedIdentity,
  returnTo: string,
  done: (error: unknown, user?: unknown) => void,
) => void;

/**
 * A Passport strategy for "Sign in with Microsoft 365": without `code`/`error` in the query it
 * redirects to Microsoft (state, nonce and PKCE verifier kept in the server-side session);
 * on the callback it checks the state, redeems the code and validates the ID token.
 */
export class OidcPassportStrategy extends passport.Strategy {
  override name = ENTRA_OIDC;

  constructor(
    private readonly oidc: OidcClient,
    private readonly clock: Clock,
    private readonly publicUrl: string,
    private readonly starts: SignInStartLimiter,
    private readonly verify: Verify,
  ) {
    super();
  }

  override authenticate(req: Request, options?: { phase?: OidcPhase }): void {
    const query = req.query;
    const isCallback = typeof query['code'] === 'string' || typeof query['error'] === 'string';
    if (options?.phase === 'start' && isCallback) {
      // Microsoft's answer sent to the wrong route: say so, and leave the sign-in in progress
      // alone, so that its real answer can still complete it.
      return this.error(
        AuthException.signInFailed(
          "Microsoft's answer (code or error) belongs to /api/auth/callback, not /api/auth/login; the sign-in in progress is kept",
        ),
      );
    }
    const work = isCallback ? this.callback(req) : this.start(req);
    work.catch((error: unknown) => this.error(error as Error));
  }

  private async start(req: Request): Promise<void> {
    if (!this.oidc.configured) throw AuthException.notConfigured();
    const parsed = loginQuerySchema.safeParse({ returnTo: req.query['returnTo'] });
    const returnTo = parsed.success ? (parsed.data.returnTo ?? PORTAL_PATHS.home) : PORTAL_PATHS.home;
    // Start over at the public URL when the browser came in under another loopback name: the
    // callback arrives there, and only there would it find this sign-in's state cookie.
    const canonical = publicUrlRedirect(
      this.publicUrl,
      req.headers.host,
      `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
    );
    if (canonical !== undefined) return this.redirect(canonical);
    const verdict = this.starts.admit(clientAddress(req));
    if (!verdict.allowed) {
      req.res?.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      throw AuthException.signInStartsLimited(verdict.retryAfterSeconds);
    }
    const { url, pending } = await this.oidc.authorizationUrl(returnTo);
    req.session.oidc = pending;
    this.redirect(url);
  }

  private async callback(req: Request): Promise<void> {
    const pending = req.session?.oidc;
    if (req.session) delete req.session.oidc;
    const state = req.query['state'];
    if (pending === undefined) {
      return this.fail(
        { message: 'this sign-in was not started here or was already completed; please sign in again' },
        400,
      );
    }
    if (typeof state !== 'string' || state !== pending.state) {
      return this.fail(
        { message: 'the answer from Microsoft does not belong to this sign-in; please sign in again' },
        400,
      );
    }
    if (this.clock.now().getTime() - pending.createdAt > PENDING_SIGN_IN_TTL_MS) {
      return this.fail({ message: 'the sign-in took longer than 10 minutes; please sign in again' }, 400);
    }
    const error = req.query['error'];
    if (typeof error === 'string') {
      const description = req.query['error_description'];
      return this.fail(
        { message: describeIdentityError(error, typeof description === 'string' ? description : undefined) },
        400,
      );
    }
    let identity: VerifiedIdentity;
    try {
      identity = await this.oidc.redeem(String(req.query['code']), pending);
    } catch (failure) {
      return this.fail({ message: describeRedeemFailure(failure) }, 400);
    }
    this.verify(identity, pending.returnTo, (err, user) =>
      err ? this.error(err as Error) : this.success(user as object),
    );
  }
}

function describeRedeemFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // msal reports identity-platform errors as "<code>: AADSTSnnnn: description\r\nTrace ID: ...".
  const firstLine = message.split(/\r?\n/)[0] ?? message;
  return firstLine.replace(/^[a-z_]+: /, '');
}

/** The @nestjs/passport binding of the strategy. */
@Injectable()
export class EntraOidcStrategy extends PassportStrategy(OidcPassportStrategy, ENTRA_OIDC) {
  constructor(oidc: OidcClient, clock: Clock, config: AppConfig, starts: SignInStartLimiter) {
    super(oidc, clock, config.auth.publicUrl, starts);
  }

  validate(identity: VerifiedIdentity, returnTo: string): SignInOutcome {
    return { ok: true, identity, returnTo };
  }
}

/**
 * Runs the strategy. A failed sign-in becomes `{ ok: false, message }` instead of a 401, so the
 * callback can send the browser back to the portal with a readable message.
 */
@Injectable()
export class EntraOidcGuard extends AuthGuard(ENTRA_OIDC) {
  /** The phase of the route the guard is on (`/auth/callback` unless a subclass says otherwise). */
  protected readonly phase: OidcPhase = 'callback';

  override getAuthenticateOptions(_context: ExecutionContext): { phase: OidcPhase } {
    return { phase: this.phase };
  }

  override handleRequest<TUser = SignInOutcome>(err: unknown, user: unknown, info: unknown): TUser {
    if (err) throw err;
    if (user) return user as TUser;
    const message =
      typeof info === 'object' && info !== null && typeof (info as { message?: unknown }).message === 'string'
        ? (info as { message: string }).message
        : 'sign-in was not completed';
    return { ok: false, message } as TUser;
  }
}

/** The guard of `/auth/login`: starts a sign-in, and refuses Microsoft's answer sent there. */
@Injectable()
export class EntraOidcStartGuard extends EntraOidcGuard {
  protected override readonly phase: OidcPhase = 'start';
}
