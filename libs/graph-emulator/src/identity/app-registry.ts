import { timingSafeEqual, createHash } from 'node:crypto';
import { certificateThumbprints } from './jwt';
import type { KeyObject } from 'node:crypto';

/** A multi-tenant app registration known to the emulated identity platform. */
export interface RegisteredApp {
  clientId: string;
  /** Client secret value. Optional when the app authenticates with a certificate only. */
  clientSecret?: string;
  displayName: string;
  redirectUris: string[];
  /** Application permissions (Graph app roles) the app requests; `.default` admin consent grants exactly these. */
  requiredAppRoles: string[];
  /** Certificate credential: the PEM of the certificate whose key signs client assertions. */
  certificatePem?: string;
}

/** What the control API shows of an app: never its secret. */
export interface RegisteredAppView {
  clientId: string;
  displayName: string;
  redirectUris: string[];
  requiredAppRoles: string[];
  hasClientSecret: boolean;
  certificateThumbprint?: string;
}

interface AppEntry {
  app: RegisteredApp;
  certificate?: { x5t: string; x5tS256: string; publicKey: KeyObject };
}

/** Thrown for an app registration the emulator cannot accept; the message lists every problem. */
export class AppRegistrationError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AppRegistry {
  private readonly apps = new Map<string, AppEntry>();

  constructor(private readonly initial: RegisteredApp[] = []) {
    this.reset();
  }

  reset(): void {
    this.apps.clear();
    for (const app of this.initial) this.register(app);
  }

  /** Adds or replaces an app; throws with a readable message on invalid input. */
  register(app: RegisteredApp): RegisteredAppView {
    const problems: string[] = [];
    if (!GUID.test(app.clientId)) problems.push(`clientId must be a GUID (got '${app.clientId}')`);
    if (!app.displayName.trim()) problems.push('displayName must not be empty');
    if (!app.clientSecret && !app.certificatePem)
      problems.push('an app needs a clientSecret or a certificatePem');
    for (const uri of app.redirectUris) {
      if (!isValidRedirectUri(uri))
        problems.push(`redirect URI '${uri}' must be an https URL or an http://localhost URL`);
    }
    let certificate: AppEntry['certificate'];
    if (app.certificatePem) {
      try {
        certificate = certificateThumbprints(app.certificatePem);
      } catch {
        problems.push('certificatePem is not a PEM certificate');
      }
    }
    if (problems.length > 0)
      throw new AppRegistrationError(`Invalid app registration: ${problems.join('; ')}.`);
    const entry: AppEntry = { app: { ...app, clientId: app.clientId.toLowerCase() }, certificate };
    this.apps.set(entry.app.clientId, entry);
    return toView(entry);
  }

  get(clientId: string): RegisteredApp | undefined {
    return this.apps.get(clientId.toLowerCase())?.app;
  }

  list(): RegisteredAppView[] {
    return [...this.apps.values()].map(toView);
  }

  secretMatches(app: RegisteredApp, secret: string): boolean {
    if (!app.clientSecret) return false;
    // Compare digests so the comparison time does not depend on the secret's length or content.
    const a = createHash('sha256').update(app.clientSecret).digest();
    const b = createHash('sha256').update(secret).digest();
    return timingSafeEqual(a, b);
  }

  /** The certificate registered for the app if its SHA-1 or SHA-256 thumbprint matches the assertion header. */
  certificateFor(app: RegisteredApp, x5t: unknown, x5tS256: unknown): KeyObject | undefined {
    const cert = this.apps.get(app.clientId)?.certificate;
    if (!cert) return undefined;
    if (
      (typeof x5t === 'string' && x5t === cert.x5t) ||
      (typeof x5tS256 === 'string' && x5tS256 === cert.x5tS256)
    ) {
      return cert.publicKey;
    }
    return undefined;
  }

  /**
   * Entra requires an exact match, except that for loopback (`http://localhost`, `127.0.0.1`) redirect URIs
   * the port is ignored.
   * https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
   */
  redirectUriAllowed(app: RegisteredApp, redirectUri: string): boolean {
    if (app.redirectUris.includes(redirectUri)) return true;
    let requested: URL;
    try {
      requested = new URL(redirectUri);
    } catch {
      return false;
    }
    if (!isLoopback(requested)) return false;
    return app.redirectUris.some((registered) => {
      try {
        const r = new URL(registered);
        return (
          isLoopback(r) &&
          r.protocol === requested.protocol &&
          r.hostname === requested.hostname &&
          r.pathname === requested.pathname
        );
      } catch {
        return false;
      }
    });
  }
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

function isValidRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
  } catch {
    return false;
  }
}

function toView(entry: AppEntry): RegisteredAppView {
  return {
    clientId: entry.app.clientId,
    displayName: entry.app.displayName,
    redirectUris: [...entry.app.redirectUris],
    requiredAppRoles: [...entry.app.requiredAppRoles],
    hasClientSecret: Boolean(entry.app.clientSecret),
    ...(entry.certificate ? { certificateThumbprint: entry.certificate.x5t } : {}),
  };
}
