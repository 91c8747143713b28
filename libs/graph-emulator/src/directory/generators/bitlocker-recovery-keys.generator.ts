import type { Json } from '../object-collection';
import { device } from './devices.generator';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';

/** One key per Windows device: six in every ten devices (see deviceOs). */
export const bitlockerRecoveryKeysGenerator: CollectionGenerator = {
  count: (ctx) => {
    const devices = ctx.counts.devices;
    return Math.floor(devices / 10) * 6 + Math.min(devices % 10, 6);
  },
  generate: bitlockerRecoveryKey,
};

/** Windows devices hold one BitLocker key each; key k belongs to device ordinal deviceOfKey(k). */
export function deviceOfKey(keyOrdinal: number): number {
  return Math.floor(keyOrdinal / 6) * 10 + (keyOrdinal % 6);
}

export function bitlockerRecoveryKey(ctx: GeneratorContext, ordinal: number): Json {
  const deviceOrdinal = deviceOfKey(ordinal);
  const windowsDevice = device(ctx, deviceOrdinal);
  const r = ctx.rng(18, ordinal);
  return {
    id: ctx.id('bitlockerRecoveryKeys', ordinal),
    createdDateTime: iso(Date.parse(String(windowsDevice['registrationDateTime'])) + r.int(DAY_MS)),
    deviceId: windowsDevice['deviceId'],
    volumeType: 'operatingSystemVolume',
  };
}

/** The 48-digit recovery password: 8 groups of 6 digits. */
export function bitlockerKeyValue(ctx: GeneratorContext, ordinal: number): string {
  const r = ctx.rng(18, ordinal, 99);
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(String(r.int(1_000_000)).padStart(6, '0'));
  return groups.join('-');
}
