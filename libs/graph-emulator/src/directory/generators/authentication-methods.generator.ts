import type { Json } from '../object-collection';
import { DAY_MS, type GeneratorContext, iso } from './generator-context';
import { isGuest, nameParts } from './users.generator';

/** Codes of the users' authentication methods (ids and random streams) and of guests' sponsors. */
export const AUTHENTICATION_METHOD_CODE = 80;
export const SPONSOR_CODE = 81;

/**
 * Method ids Graph fixes per kind: one password, one email address, one phone per phone type.
 * https://learn.microsoft.com/graph/api/resources/phoneauthenticationmethod,
 * https://learn.microsoft.com/graph/api/resources/emailauthenticationmethod,
 * https://learn.microsoft.com/graph/api/resources/passwordauthenticationmethod
 */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
export const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
export const PHONE_METHOD_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
} as const;
export type PhoneType = keyof typeof PHONE_METHOD_IDS;

/** Authenticator Attestation GUIDs of two common security keys (YubiKey 5 NFC, Feitian BioPass). */
const FIDO2_MODELS = [
  { aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 Series' },
  { aaGuid: '77010bd7-212a-4fc9-b236-d2ca5e9d4084', model: 'Feitian BioPass FIDO2 Authenticator' },
] as const;
const PHONE_MODELS = ['iPhone 15', 'Pixel 8', 'Galaxy S24', 'iPhone 13'] as const;

/** At most this many methods of a user carry generated ids (authenticator, FIDO2, Windows Hello). */
const GENERATED_IDS_PER_USER = 4;

export function phoneMethod(phoneType: PhoneType, phoneNumber: string): Json {
  return {
    '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
    id: PHONE_METHOD_IDS[phoneType],
    phoneNumber,
    phoneType,
    smsSignInState: 'notAllowedByPolicy',
  };
}

export function emailMethod(emailAddress: string): Json {
  return {
    '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
    id: EMAIL_METHOD_ID,
    emailAddress,
  };
}

/**
 * A generated user's registered methods: members have a password; most register a mobile phone
 * and the Authenticator app, some an email address for password reset, an office phone, a FIDO2
 * key or Windows Hello. Guests sign in at home and have none here. Secrets never appear: the
 * password method's `password` is always null.
 * https://learn.microsoft.com/graph/api/authentication-list-methods
 */
export function userAuthenticationMethods(ctx: GeneratorContext, ordinal: number): Json[] {
  if (isGuest(ordinal)) return [];
  const r = ctx.rng(AUTHENTICATION_METHOD_CODE, ordinal);
  const created = ctx.createdAt(1, ordinal, ctx.counts.users);
  const at = (days: number) => iso(created + days * DAY_MS);
  const id = (k: number) => ctx.guid(AUTHENTICATION_METHOD_CODE, ordinal * GENERATED_IDS_PER_USER + k);
  const { first, last } = nameParts(ordinal);
  const methods: Json[] = [
    {
      '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
      id: PASSWORD_METHOD_ID,
      password: null,
      createdDateTime: at(0),
    },
  ];
  const line = String(5550000 + (ordinal % 10000)).padStart(7, '0');
  if (r.chance(0.65)) {
    methods.push(phoneMethod('mobile', `+1 206${line}`));
    methods.push({
      '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      id: id(0),
      displayName: r.pick(PHONE_MODELS),
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: '6.8.7',
      createdDateTime: at(2),
    });
    if (r.chance(0.2)) methods.push(phoneMethod('alternateMobile', `+1 425${line}`));
  }
  if (r.chance(0.15)) methods.push(phoneMethod('office', `+1 425${line}x${100 + (ordinal % 900)}`));
  if (r.chance(0.3)) methods.push(emailMethod(`${first}.${last}${ordinal}@outlook.com`.toLowerCase()));
  if (r.chance(0.15)) {
    const key = r.pick(FIDO2_MODELS);
    methods.push({
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
      id: id(1),
      displayName: `${key.model.split(' ')[0]} key`,
      createdDateTime: at(5),
      aaGuid: key.aaGuid,
      model: key.model,
      attestationCertificates: [],
      attestationLevel: 'attested',
    });
  }
  if (r.chance(0.1))
    methods.push({
      '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
      id: id(2),
      displayName: `DESKTOP-${r.hex(6).toUpperCase()}`,
      createdDateTime: at(7),
      keyStrength: 'normal',
    });
  return methods;
}

/**
 * A guest's sponsors: the member who invited it (the manager its ordinal would have) and, for
 * every third guest, a second member. Members have none. https://learn.microsoft.com/graph/api/user-list-sponsors
 */
export function userSponsors(ctx: GeneratorContext, ordinal: number): string[] {
  if (!isGuest(ordinal)) return [];
  let inviter = Math.floor((ordinal - 1) / 8);
  while (isGuest(inviter)) inviter = Math.floor((inviter - 1) / 8);
  const sponsors = [inviter];
  const r = ctx.rng(SPONSOR_CODE, ordinal);
  if (ordinal % 3 === 0) {
    const second = r.int(Math.min(ctx.counts.users, 20));
    if (second !== inviter && !isGuest(second)) sponsors.push(second);
  }
  return sponsors.map((o) => ctx.id('users', o));
}
