import type { AuditEventInput, EmulatorClock, SignInEventInput } from '../shared/world-port';
import { DEPARTMENTS, LOCATIONS } from './catalog';
import type { Json } from './object-collection';
import { hash32, IdCodec, Rng } from './prng';
import type { TenantGenerator } from './tenant-generator';

export const HOUR_MS = 3_600_000;

export interface LogCursor {
  /** Hour bucket being read (epoch hours). */
  bucket: number;
  /** Index inside the bucket's newest-first list. */
  index: number;
}

export interface LogWindow {
  /** Inclusive lower bound (ms). */
  from: number;
  /** Inclusive upper bound (ms). */
  to: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A time-ordered log (sign-ins or directory audits) generated lazily per hour bucket: the volume
 * is proportional to the tenant's users but bounded per hour, and no event exists before it is read.
 * Recorded events (real sign-ins, audited operations) are merged into their bucket.
 */
export class ActivityLog {
  private readonly recorded = new Map<number, Json[]>();
  private readonly codec: IdCodec;

  constructor(
    private readonly gen: TenantGenerator,
    private readonly kind: 'signIns' | 'directoryAudits',
    private readonly perHour: number,
    private readonly clock: EmulatorClock,
  ) {
    this.codec = new IdCodec(gen.seed, gen.spec.index, kind === 'signIns' ? 30 : 31);
  }

  record(event: Json, at: number): void {
    const bucket = Math.floor(at / HOUR_MS);
    const list = this.recorded.get(bucket) ?? [];
    list.push(event);
    this.recorded.set(bucket, list);
  }

  /** Events of one hour, newest first, only those that already happened. */
  bucketEvents(bucket: number): Json[] {
    const now = this.clock.now();
    const events: Array<{ t: number; e: Json }> = [];
    for (let i = 0; i < this.perHour; i++) {
      const t =
        bucket * HOUR_MS +
        (hash32(this.gen.seed, this.gen.spec.index, bucket, i, this.kind.length) % HOUR_MS);
      if (t > now) continue;
      events.push({ t, e: this.kind === 'signIns' ? this.signIn(bucket, i, t) : this.audit(bucket, i, t) });
    }
    for (const e of this.recorded.get(bucket) ?? []) {
      const t = Date.parse(String(e[this.kind === 'signIns' ? 'createdDateTime' : 'activityDateTime']));
      if (t <= now) events.push({ t, e: structuredClone(e) });
    }
    events.sort((a, b) => b.t - a.t || (String(a.e['id']) < String(b.e['id']) ? -1 : 1));
    return events.map((x) => x.e);
  }

  /** Reads up to `limit` events newest first within the window, from a cursor. */
  read(window: LogWindow, cursor: LogCursor | undefined, limit: number): { items: Json[]; next?: LogCursor } {
    const items: Json[] = [];
    const field = this.kind === 'signIns' ? 'createdDateTime' : 'activityDateTime';
    let bucket = cursor?.bucket ?? Math.floor(window.to / HOUR_MS);
    let index = cursor?.index ?? 0;
    const lastBucket = Math.floor(window.from / HOUR_MS);
    while (bucket >= lastBucket) {
      const events = this.bucketEvents(bucket);
      while (index < events.length) {
        const e = events[index]!;
        index++;
        const t = Date.parse(String(e[field]));
        if (t < window.from || t > window.to) continue;
        items.push(e);
        if (items.length === limit) {
          if (index >= events.length)
            return { items, next: bucket - 1 >= lastBucket ? { bucket: bucket - 1, index: 0 } : undefined };
          return { items, next: { bucket, index } };
        }
      }
      bucket--;
      index = 0;
    }
    return { items };
  }

  private user(ordinal: number): { id: string; upn: string; displayName: string } {
    const u = this.gen.user(ordinal);
    return {
      id: String(u['id']),
      upn: String(u['userPrincipalName']),
      displayName: String(u['displayName']),
    };
  }

  private signIn(bucket: number, i: number, t: number): Json {
    const r = new Rng(this.gen.seed, this.gen.spec.index, 30, bucket, i);
    const userOrdinal = r.int(this.gen.counts.users);
    const user = this.user(userOrdinal);
    const loc = r.pick(LOCATIONS);
    const apps = [
      { appId: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
      { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
      { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
      { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
      { appId: this.gen.appId(r.int(this.gen.counts.applications)), name: 'Line-of-business app' },
    ];
    const app = r.pick(apps);
    const failed = r.chance(0.08);
    const failure = r.pick([
      { code: 50126, reason: 'Error validating credentials due to invalid username or password.' },
      { code: 50074, reason: 'Strong Authentication is required.' },
      {
        code: 53003,
        reason:
          'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      },
    ]);
    const deviceOrdinal = userOrdinal % this.gen.counts.devices;
    return {
      id: this.codec.encode((bucket % 4_000_000) * 1000 + i),
      createdDateTime: iso(t).replace('.000Z', 'Z'),
      userDisplayName: user.displayName,
      userPrincipalName: user.upn,
      userId: user.id,
      appId: app.appId,
      appDisplayName: app.name,
      ipAddress: `${loc.ip}${r.int(256)}.${r.int(256)}`,
      clientAppUsed: r.pick(['Browser', 'Mobile Apps and Desktop clients']),
      correlationId: new IdCodec(this.gen.seed, this.gen.spec.index, 32).encode(
        (bucket % 4_000_000) * 1000 + i,
      ),
      conditionalAccessStatus:
        failed && failure.code === 53003 ? 'failure' : r.pick(['success', 'notApplied']),
      isInteractive: true,
      riskDetail: 'none',
      riskLevelAggregated: 'none',
      riskLevelDuringSignIn: 'none',
      riskState: 'none',
      riskEventTypes_v2: [],
      resourceDisplayName: app.name,
      resourceId: this.gen.id('servicePrincipals', 0),
      status: failed
        ? { errorCode: failure.code, failureReason: failure.reason, additionalDetails: null }
        : { errorCode: 0, failureReason: 'Other.', additionalDetails: null },
      deviceDetail: {
        deviceId: r.chance(0.6) ? String(this.gen.device(deviceOrdinal)['deviceId']) : '',
        displayName: '',
        operatingSystem: r.pick(['Windows10', 'Ios', 'Android', 'MacOs']),
        browser: r.pick(['Edge 130.0.0', 'Chrome 131.0.0', 'Safari 18.1', 'Mobile Safari']),
        isCompliant: r.chance(0.7),
        isManaged: r.chance(0.8),
        trustType: r.pick(['Azure AD joined', 'Azure AD registered', '']),
      },
      location: {
        city: loc.city,
        state: loc.state ?? '',
        countryOrRegion: loc.usageLocation,
        geoCoordinates: { altitude: null, latitude: 40 + r.int(20), longitude: -120 + r.int(140) },
      },
      appliedConditionalAccessPolicies: [],
    };
  }

  private audit(bucket: number, i: number, t: number): Json {
    const r = new Rng(this.gen.seed, this.gen.spec.index, 31, bucket, i);
    const actor = this.user(r.int(Math.min(10, this.gen.counts.users)));
    const targetOrdinal = r.int(this.gen.counts.users);
    const target = this.user(targetOrdinal);
    const activities = [
      {
        category: 'UserManagement',
        activity: 'Update user',
        op: 'Update',
        type: 'User',
        service: 'Core Directory',
      },
      {
        category: 'GroupManagement',
        activity: 'Add member to group',
        op: 'Assign',
        type: 'Group',
        service: 'Core Directory',
      },
      {
        category: 'ApplicationManagement',
        activity: 'Update application',
        op: 'Update',
        type: 'Application',
        service: 'Core Directory',
      },
      {
        category: 'RoleManagement',
        activity: 'Add member to role',
        op: 'Assign',
        type: 'Role',
        service: 'Core Directory',
      },
      {
        category: 'Policy',
        activity: 'Update conditional access policy',
        op: 'Update',
        type: 'Policy',
        service: 'Conditional Access',
      },
      {
        category: 'UserManagement',
        activity: 'Reset password (by admin)',
        op: 'Update',
        type: 'User',
        service: 'Core Directory',
      },
      {
        category: 'Device',
        activity: 'Update device',
        op: 'Update',
        type: 'Device',
        service: 'Core Directory',
      },
    ];
    const a = r.pick(activities);
    const targetResource =
      a.type === 'User'
        ? {
            id: target.id,
            displayName: null,
            type: 'User',
            userPrincipalName: target.upn,
            groupType: null,
            modifiedProperties: [
              {
                displayName: 'Department',
                oldValue: `["${r.pick(DEPARTMENTS)}"]`,
                newValue: `["${r.pick(DEPARTMENTS)}"]`,
              },
            ],
          }
        : a.type === 'Group'
          ? {
              id: this.gen.id('groups', r.int(this.gen.counts.groups)),
              displayName: null,
              type: 'Group',
              userPrincipalName: null,
              groupType: 'unifiedGroups',
              modifiedProperties: [],
            }
          : a.type === 'Application'
            ? {
                id: this.gen.id('applications', r.int(this.gen.counts.applications)),
                displayName: null,
                type: 'Application',
                userPrincipalName: null,
                groupType: null,
                modifiedProperties: [],
              }
            : a.type === 'Device'
              ? {
                  id: this.gen.id('devices', r.int(this.gen.counts.devices)),
                  displayName: null,
                  type: 'Device',
                  userPrincipalName: null,
                  groupType: null,
                  modifiedProperties: [],
                }
              : a.type === 'Policy'
                ? {
                    id: this.gen.id(
                      'conditionalAccessPolicies',
                      r.int(this.gen.counts.conditionalAccessPolicies),
                    ),
                    displayName: null,
                    type: 'Policy',
                    userPrincipalName: null,
                    groupType: null,
                    modifiedProperties: [],
                  }
                : {
                    id: target.id,
                    displayName: null,
                    type: 'User',
                    userPrincipalName: target.upn,
                    groupType: null,
                    modifiedProperties: [],
                  };
    return {
      id: `Directory_${new IdCodec(this.gen.seed, this.gen.spec.index, 33)
        .encode((bucket % 4_000_000) * 1000 + i)
        .toUpperCase()
        .slice(0, 5)}_${this.codec.encode((bucket % 4_000_000) * 1000 + i)}`,
      category: a.category,
      correlationId: new IdCodec(this.gen.seed, this.gen.spec.index, 34).encode(
        (bucket % 4_000_000) * 1000 + i,
      ),
      result: 'success',
      resultReason: '',
      activityDisplayName: a.activity,
      activityDateTime: iso(t),
      loggedByService: a.service,
      operationType: a.op,
      initiatedBy: {
        app: null,
        user: {
          id: actor.id,
          displayName: null,
          userPrincipalName: actor.upn,
          ipAddress: `${LOCATIONS[0].ip}${r.int(256)}.${r.int(256)}`,
          userType: null,
          homeTenantId: null,
          homeTenantName: null,
        },
      },
      targetResources: [targetResource],
      additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' }],
    };
  }

  signInFrom(
    input: SignInEventInput,
    id: string,
    at: number,
    user: { displayName: string; upn: string },
  ): Json {
    return {
      id,
      createdDateTime: iso(at),
      userDisplayName: user.displayName,
      userPrincipalName: user.upn,
      userId: input.userId,
      appId: input.appId,
      appDisplayName: input.appDisplayName,
      ipAddress: input.ipAddress,
      clientAppUsed: 'Browser',
      correlationId: id,
      conditionalAccessStatus: 'notApplied',
      isInteractive: true,
      riskDetail: 'none',
      riskLevelAggregated: 'none',
      riskLevelDuringSignIn: 'none',
      riskState: 'none',
      riskEventTypes_v2: [],
      resourceDisplayName: 'Microsoft Graph',
      resourceId: this.gen.id('servicePrincipals', 0),
      status: {
        errorCode: input.errorCode,
        failureReason: input.failureReason ?? (input.errorCode === 0 ? 'Other.' : 'Sign-in failed.'),
        additionalDetails: null,
      },
      deviceDetail: {
        deviceId: '',
        displayName: '',
        operatingSystem: 'Windows10',
        browser: 'Chrome',
        isCompliant: false,
        isManaged: false,
        trustType: '',
      },
      location: {
        city: 'Seattle',
        state: 'Washington',
        countryOrRegion: 'US',
        geoCoordinates: { altitude: null, latitude: 47.6, longitude: -122.3 },
      },
      appliedConditionalAccessPolicies: [],
    };
  }

  auditFrom(input: AuditEventInput, id: string, at: number): Json {
    return {
      id,
      category: input.category,
      correlationId: id,
      result: input.result,
      resultReason: '',
      activityDisplayName: input.activityDisplayName,
      activityDateTime: iso(at),
      loggedByService: input.loggedByService,
      operationType: input.operationType,
      initiatedBy: {
        user: input.initiatedBy.user
          ? {
              id: input.initiatedBy.user.id,
              displayName: null,
              userPrincipalName: input.initiatedBy.user.userPrincipalName,
              ipAddress: null,
              userType: null,
              homeTenantId: null,
              homeTenantName: null,
            }
          : null,
        app: input.initiatedBy.app
          ? {
              appId: input.initiatedBy.app.appId,
              displayName: input.initiatedBy.app.displayName,
              servicePrincipalId: null,
              servicePrincipalName: null,
            }
          : null,
      },
      targetResources: input.targetResources.map((t) => ({
        id: t.id,
        displayName: t.displayName ?? null,
        type: t.type,
        userPrincipalName: t.userPrincipalName ?? null,
        groupType: t.groupType ?? null,
        modifiedProperties: t.modifiedProperties ?? [],
      })),
      additionalDetails: input.additionalDetails ?? [],
    };
  }
}
