import { Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import {
  EMERGENCY_PERMISSIONS,
  GUID_PATTERN,
  PARTNER_ROLES,
  PARTNER_ROLE_PERMISSIONS,
  type PartnerMembership,
  type PartnerRole,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import { SessionStore } from '../session/session-store';

/** Query parameter naming the tenant of a tenant page (`/backups?tenant=<id>`) for partner staff. */
export const TENANT_PARAM = 'tenant';

/** The query parameters opening a tenant page in that tenant: `[routerLink]="'/backups'" [queryParams]="tenantQuery(id)"`. */
export function tenantQuery(tenantId: string): Record<string, string> {
  return { [TENANT_PARAM]: tenantId };
}

/**
 * Where the chosen tenant is kept besides the URL, so a page opened in a new tab from a link
 * (which copies the tab's session storage) stays in the same tenant. Null: kept in memory only.
 */
export const TENANT_CONTEXT_STORAGE = new InjectionToken<Storage | null>('TENANT_CONTEXT_STORAGE', {
  providedIn: 'root',
  factory: () => (typeof sessionStorage === 'undefined' ? null : sessionStorage),
});

const STORAGE_KEY = 'entra-backup.tenant-context';

/** A tenant opened by partner staff, and the partner it was opened through when known. */
interface Chosen {
  /** Whose choice it is: a choice of another person (signed in before in this tab) is ignored. */
  readonly upn: string;
  readonly tenantId: string;
  readonly partnerId?: string;
}

/** Lowest role first: when it is not known which partner manages a tenant, the lowest role counts. */
const ROLES_LOWEST_FIRST: readonly PartnerRole[] = [...PARTNER_ROLES].reverse();

/**
 * The tenant the tenant pages (Backups, Explore, Compare, Restores, Settings, ...) show, and what
 * the signed-in principal may do there.
 *
 * A tenant's own admin (and a break-glass account) works in their own tenant. Partner staff look
 * after many tenants: they open one from their partner's dashboard, and the tenant pages then
 * carry it in the URL (`?tenant=<id>`, kept by `adminGuard`), so deep links, shared links and
 * the back button keep the tenant.
 *
 * `can(permission)` is the one place the portal decides which actions to offer; it follows the
 * roles of the contract (`TENANT_ADMIN_PERMISSIONS`, `PARTNER_ROLE_PERMISSIONS`). The API checks
 * every request anyway; this only hides what would be refused.
 */
@Injectable({ providedIn: 'root' })
export class TenantContext {
  private readonly session = inject(SessionStore);
  private readonly storage = inject(TENANT_CONTEXT_STORAGE);
  private readonly chosen = signal<Chosen | undefined>(this.restore());

  /** The partners the signed-in person works for. */
  readonly partners = computed<readonly PartnerMembership[]>(() => this.session.user()?.partners ?? []);

  /**
   * The user's own tenant, when they may work in it: its admin, or a break-glass account of it.
   * (A session with access and no partner can only come from the tenant admin grant.)
   */
  readonly ownTenantId = computed(() => {
    const user = this.session.user();
    if (user === undefined || !user.hasAccess) return undefined;
    const ownAccess = user.tenantAdmin || user.kind === 'emergency' || user.partners.length === 0;
    return ownAccess ? user.tenantId.toLowerCase() : undefined;
  });

  /** Partner staff: they may look after more tenants than their own, and switch between them. */
  readonly multiTenant = computed(() => this.session.user()?.kind === 'person' && this.partners().length > 0);

  /** The active tenant; undefined for partner staff before they open one (and when signed out). */
  readonly tenantId = computed(() => {
    const chosen = this.activeChoice();
    return chosen?.tenantId ?? this.ownTenantId();
  });

  readonly isOwnTenant = computed(() => {
    const tenantId = this.tenantId();
    return tenantId !== undefined && tenantId === this.ownTenantId();
  });

  /** The partner through which the active tenant is looked after, when the portal knows it. */
  readonly partnerId = computed(() => {
    if (this.isOwnTenant()) return undefined;
    const known = this.activeChoice()?.partnerId;
    if (known !== undefined && this.membership(known) !== undefined) return known;
    const partners = this.partners();
    return partners.length === 1 ? partners[0]!.partnerId : undefined;
  });

  /** What the principal may do on the active tenant. */
  readonly permissions = computed<ReadonlySet<Permission>>(() => {
    const user = this.session.user();
    const tenantId = this.tenantId();
    const held = new Set<Permission>();
    if (user === undefined || tenantId === undefined) return held;
    if (user.kind === 'emergency') {
      if (tenantId === this.ownTenantId()) EMERGENCY_PERMISSIONS.forEach((p) => held.add(p));
      return held;
    }
    if (tenantId === this.ownTenantId()) {
      TENANT_ADMIN_PERMISSIONS.forEach((p) => held.add(p));
      return held;
    }
    const role = this.partnerRole();
    if (role !== undefined) PARTNER_ROLE_PERMISSIONS[role].forEach((p) => held.add(p));
    return held;
  });

  /** Whether the principal may do this on the active tenant (the action is offered). */
  can(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** The signed-in person's role at a partner; undefined when they do not work for it. */
  roleAt(partnerId: string): PartnerRole | undefined {
    return this.membership(partnerId)?.role;
  }

  /** Whether the signed-in person may do this at the partner (staff, onboarding, bulk actions). */
  canOnPartner(partnerId: string, permission: Permission): boolean {
    const role = this.roleAt(partnerId);
    return role !== undefined && PARTNER_ROLE_PERMISSIONS[role].includes(permission);
  }

  /**
   * Makes a tenant the active one (partner staff; `partnerId`: the partner it was opened
   * through). Returns false, changing nothing, for principals of one tenant opening another.
   */
  open(tenantId: string, partnerId?: string): boolean {
    const id = tenantId.toLowerCase();
    if (!GUID_PATTERN.test(id)) return false;
    if (!this.multiTenant()) return id === this.ownTenantId();
    const upn = this.session.user()!.upn;
    const previous = this.activeChoice();
    // Reopening the same tenant (a link without the partner) keeps the partner it was opened through.
    const keep = partnerId ?? (previous?.tenantId === id ? previous.partnerId : undefined);
    const next: Chosen = keep === undefined ? { upn, tenantId: id } : { upn, tenantId: id, partnerId: keep };
    if (previous?.tenantId !== next.tenantId || previous.partnerId !== next.partnerId) {
      this.chosen.set(next);
      this.persist(next);
    }
    return true;
  }

  private activeChoice(): Chosen | undefined {
    const chosen = this.chosen();
    const user = this.session.user();
    if (chosen === undefined || user === undefined || !this.multiTenant()) return undefined;
    return chosen.upn === user.upn ? chosen : undefined;
  }

  private membership(partnerId: string): PartnerMembership | undefined {
    return this.partners().find((p) => p.partnerId === partnerId);
  }

  /**
   * The role that counts on the active tenant: at the partner it was opened through, else the
   * only partner's; when the person works for several partners and the portal does not know
   * which manages the tenant, the lowest of their roles (offering less, never more).
   */
  private partnerRole(): PartnerRole | undefined {
    const partnerId = this.partnerId();
    if (partnerId !== undefined) return this.roleAt(partnerId);
    const roles = new Set(this.partners().map((p) => p.role));
    return ROLES_LOWEST_FIRST.find((role) => roles.has(role));
  }

  private restore(): Chosen | undefined {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (raw === null || raw === undefined) return undefined;
      const value = JSON.parse(raw) as Partial<Chosen>;
      if (typeof value.upn !== 'string' || typeof value.tenantId !== 'string') return undefined;
      if (!GUID_PATTERN.test(value.tenantId)) return undefined;
      return {
        upn: value.upn,
        tenantId: value.tenantId,
        ...(typeof value.partnerId === 'string' ? { partnerId: value.partnerId } : {}),
      };
    } catch {
      // Storage switched off or a value written by someone else: start without a choice.
      return undefined;
    }
  }

  private persist(chosen: Chosen): void {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(chosen));
    } catch {
      // Storage full or switched off: the URL still carries the tenant.
    }
  }
}
