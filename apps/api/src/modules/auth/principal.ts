import type { PartnerRole, Permission } from '@entra-backup/common';
import type { Actor } from '../audit/audit-action';
import type { SessionPrincipal } from './session.types';

/**
 * Which tenants a grant covers: a list of tenants (a tenant's own admins, a tenant's key), a
 * partner's customer tenants (optionally narrowed, for a key limited to some of them), or every
 * tenant (the installation's operators).
 */
export type TenantScope =
  | { readonly kind: 'tenants'; readonly tenantIds: readonly string[] }
  | { readonly kind: 'partner'; readonly partnerId: string; readonly tenantIds?: readonly string[] }
  | { readonly kind: 'all' };

/** Where a grant comes from, for the session answer and the audit trail. */
export type GrantSource =
  | { readonly kind: 'tenant-admin'; readonly roles: readonly string[] }
  | {
      readonly kind: 'partner';
      readonly partnerId: string;
      readonly partnerName: string;
      readonly role: PartnerRole;
    }
  | { readonly kind: 'api-key'; readonly keyId: string }
  | { readonly kind: 'emergency'; readonly accountId: string }
  | { readonly kind: 'operator' };

export interface Grant {
  readonly scope: TenantScope;
  readonly permissions: ReadonlySet<Permission>;
  readonly source: GrantSource;
}

/**
 * Who is calling: a signed-in person (session), an API key or a break-glass account, with what
 * it may do where. Resolved once per request by the access guard; controllers read it through
 * `@CurrentPrincipal()` and never look at the session or the headers themselves.
 */
export interface Principal {
  readonly kind: 'person' | 'api-key' | 'emergency';
  /** Stable id: the sign-in name, the key id or the break-glass account id. */
  readonly id: string;
  /** What to show: a person's name, a key's name, a break-glass user name. */
  readonly name: string;
  /** How the audit trail names it: `user:<upn>`, `key:<prefix>`, `emergency:<user name>`. */
  readonly actor: Actor;
  readonly grants: readonly Grant[];
  /** The caller's network address (audit, key usage). */
  readonly address: string | null;
  /** The signed-in Microsoft 365 user (persons only). */
  readonly user?: SessionPrincipal;
}

/** The tenant a request is about: its id and the partner that manages it, if any. */
export interface TenantRef {
  readonly id: string;
  readonly partnerId: string | null;
}
