import type { Json } from '../object-collection';
import {
  type CollectionGenerator,
  DAY_MS,
  DEVICE_ID_CODE,
  type GeneratorContext,
  iso,
} from './generator-context';
import { nameParts } from './users.generator';

export const devicesGenerator: CollectionGenerator = {
  count: (ctx) => Math.max(3, Math.round(ctx.spec.users * 0.6)),
  generate: device,
};

export function deviceOs(ordinal: number): 'Windows' | 'iOS' | 'Android' | 'MacMDM' {
  const slot = ordinal % 10;
  return slot < 6 ? 'Windows' : slot < 8 ? 'iOS' : slot === 8 ? 'Android' : 'MacMDM';
}

export function deviceOwnerOrdinal(ctx: GeneratorContext, ordinal: number): number {
  return ordinal % ctx.counts.users;
}

export function device(ctx: GeneratorContext, ordinal: number): Json {
  const r = ctx.rng(5, ordinal);
  const os = deviceOs(ordinal);
  const owner = nameParts(deviceOwnerOrdinal(ctx, ordinal));
  const created = ctx.createdAt(5, ordinal, ctx.counts.devices);
  const hw =
    os === 'Windows'
      ? r.pick([
          { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 5' },
          { manufacturer: 'Dell Inc.', model: 'Latitude 7440' },
          { manufacturer: 'LENOVO', model: 'ThinkPad T14 Gen 4' },
          { manufacturer: 'HP', model: 'EliteBook 840 G10' },
        ])
      : os === 'iOS'
        ? { manufacturer: 'Apple', model: r.pick(['iPhone 14', 'iPhone 15 Pro', 'iPad Air']) }
        : os === 'Android'
          ? { manufacturer: r.pick(['samsung', 'Google']), model: r.pick(['SM-S911B', 'Pixel 8']) }
          : { manufacturer: 'Apple', model: r.pick(['MacBookPro18,3', 'Mac14,2']) };
  const name =
    os === 'Windows'
      ? `${r.chance(0.6) ? 'LAPTOP' : 'DESKTOP'}-${r.hex(7).toUpperCase()}`
      : os === 'MacMDM'
        ? `${owner.first}'s MacBook`
        : `${owner.first}'s ${hw.model}`;
  const trustType = os === 'Windows' ? (ordinal % 4 === 1 ? 'ServerAd' : 'AzureAd') : 'Workplace';
  const managed = r.chance(0.85);
  return {
    id: ctx.id('devices', ordinal),
    accountEnabled: r.chance(0.97),
    alternativeSecurityIds: [
      {
        type: 2,
        identityProvider: null,
        key: Buffer.from(`X509:<SHA1-TP-PUBKEY>${r.hex(40).toUpperCase()}`).toString('base64'),
      },
    ],
    approximateLastSignInDateTime: iso(ctx.epoch - r.int(20 * DAY_MS)),
    complianceExpirationDateTime: null,
    createdDateTime: iso(created),
    deletedDateTime: null,
    deviceCategory: null,
    deviceId: ctx.guid(DEVICE_ID_CODE, ordinal),
    deviceMetadata: null,
    deviceOwnership: os === 'Android' && r.chance(0.5) ? 'Personal' : 'Company',
    deviceVersion: 2,
    displayName: name,
    enrollmentProfileName: null,
    enrollmentType: managed ? (os === 'Windows' ? 'AzureDomainJoined' : 'AppleBulkWithUser') : null,
    extensionAttributes: {
      extensionAttribute1: os === 'Windows' ? 'Corporate' : null,
      extensionAttribute2: null,
      extensionAttribute3: null,
      extensionAttribute4: null,
      extensionAttribute5: null,
      extensionAttribute6: null,
      extensionAttribute7: null,
      extensionAttribute8: null,
      extensionAttribute9: null,
      extensionAttribute10: null,
      extensionAttribute11: null,
      extensionAttribute12: null,
      extensionAttribute13: null,
      extensionAttribute14: null,
      extensionAttribute15: null,
    },
    isCompliant: managed ? r.chance(0.9) : null,
    isManaged: managed,
    isRooted: os === 'Android' ? false : null,
    managementType: managed ? 'MDM' : null,
    manufacturer: hw.manufacturer,
    mdmAppId: managed ? '0000000a-0000-0000-c000-000000000000' : null,
    model: hw.model,
    onPremisesLastSyncDateTime: trustType === 'ServerAd' ? iso(ctx.epoch - 3_600_000) : null,
    onPremisesSecurityIdentifier: trustType === 'ServerAd' ? `${ctx.domainSid}-${20000 + ordinal}` : null,
    onPremisesSyncEnabled: trustType === 'ServerAd' ? true : null,
    operatingSystem: os,
    operatingSystemVersion:
      os === 'Windows'
        ? r.pick(['10.0.22631.4460', '10.0.26100.2314', '10.0.19045.5131'])
        : os === 'iOS'
          ? r.pick(['17.6.1', '18.1'])
          : os === 'Android'
            ? r.pick(['14', '15'])
            : r.pick(['14.7.1', '15.1']),
    physicalIds:
      os === 'Windows'
        ? [`[USER-GID]:${ctx.id('users', deviceOwnerOrdinal(ctx, ordinal))}:${r.int(9_999_999_999)}`]
        : [],
    profileType: 'RegisteredDevice',
    registrationDateTime: iso(created),
    systemLabels: [],
    trustType,
  };
}
