import type { Json } from './object-collection';
import type { TenantDirectory } from './tenant-directory';

/**
 * Per-tenant state beyond the collections: each user's registered authentication methods and
 * sponsors. A user's lists start from the generated tenant on first use (users created through the
 * API have none) and are kept by user id, so a user restored from the recycle bin has them again:
 * "only the user object's restore brings authentication methods back"
 * (https://learn.microsoft.com/entra/fundamentals/users-restore).
 */
export class UserAuthenticationState {
  private readonly methods = new Map<string, Json[]>();
  private readonly sponsorIds = new Map<string, string[]>();

  constructor(private readonly tenant: TenantDirectory) {}

  private ordinalOf(userId: string): number | undefined {
    const users = this.tenant.collection('users');
    const ordinal = users.ordinalOf(userId);
    // Ids of users created through the API do not decode to a generated ordinal.
    return ordinal !== undefined && users.idAt(ordinal).toLowerCase() === userId.toLowerCase()
      ? ordinal
      : undefined;
  }

  methodsOf(userId: string): Json[] {
    const key = userId.toLowerCase();
    let list = this.methods.get(key);
    if (list === undefined) {
      const ordinal = this.ordinalOf(key);
      list = ordinal === undefined ? [] : this.tenant.gen.userAuthenticationMethods(ordinal);
      this.methods.set(key, list);
    }
    return list;
  }

  setMethods(userId: string, list: Json[]): void {
    this.methods.set(userId.toLowerCase(), list);
  }

  /** Sponsor ids, without objects that no longer exist (Graph drops a deleted sponsor). */
  sponsorsOf(userId: string): string[] {
    return this.rawSponsorsOf(userId).filter((id) => this.tenant.exists(id));
  }

  rawSponsorsOf(userId: string): string[] {
    const key = userId.toLowerCase();
    let list = this.sponsorIds.get(key);
    if (list === undefined) {
      const ordinal = this.ordinalOf(key);
      list = ordinal === undefined ? [] : this.tenant.gen.userSponsors(ordinal);
      this.sponsorIds.set(key, list);
    }
    return list;
  }

  setSponsors(userId: string, ids: string[]): void {
    this.sponsorIds.set(userId.toLowerCase(), ids);
  }
}

const STATE = new WeakMap<TenantDirectory, UserAuthenticationState>();

export function userAuthenticationState(tenant: TenantDirectory): UserAuthenticationState {
  let state = STATE.get(tenant);
  if (state === undefined) {
    state = new UserAuthenticationState(tenant);
    STATE.set(tenant, state);
  }
  return state;
}
