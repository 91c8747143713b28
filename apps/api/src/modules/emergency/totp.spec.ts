import { generate } from 'otplib';
import { FixedClock } from '../../../test/support/doubles';
import { Totp } from './totp';

const NOW = new Date('2026-12-07T10:00:10.000Z');
const STEP = Math.floor(NOW.getTime() / 1000 / 30);

describe(Totp.name, () => {
  let clock: FixedClock;
  let sut: Totp;
  let secret: string;

  const codeAt = (step: number) => generate({ secret, epoch: step * 30 });

  beforeEach(() => {
    clock = new FixedClock(NOW);
    sut = new Totp(clock);
    secret = sut.newSecret();
  });

  it('accepts the code of the current step and of one step either side, naming the step', async () => {
    await expect(sut.check(secret, await codeAt(STEP), null)).resolves.toBe(STEP);
    await expect(sut.check(secret, await codeAt(STEP - 1), null)).resolves.toBe(STEP - 1);
    await expect(sut.check(secret, await codeAt(STEP + 1), null)).resolves.toBe(STEP + 1);
  });

  it('refuses codes two steps away', async () => {
    await expect(sut.check(secret, await codeAt(STEP - 2), null)).resolves.toBeNull();
    await expect(sut.check(secret, await codeAt(STEP + 2), null)).resolves.toBeNull();
  });

  it('refuses a code of a step at or before the last one used', async () => {
    await expect(sut.check(secret, await codeAt(STEP), STEP)).resolves.toBeNull();
    await expect(sut.check(secret, await codeAt(STEP - 1), STEP)).resolves.toBeNull();
    await expect(sut.check(secret, await codeAt(STEP + 1), STEP)).resolves.toBe(STEP + 1);
  });

  it('follows the injected clock', async () => {
    const code = await codeAt(STEP);
    clock.set(new Date(NOW.getTime() + 5 * 60_000));

    await expect(sut.check(secret, code, null)).resolves.toBeNull();
  });

  it('gives authenticator apps an otpauth URI with the issuer, account and secret', () => {
    const uri = new URL(sut.uri(secret, 'Entra Backup', 'break.glass (Contoso)'));

    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Entra Backup');
    expect(decodeURIComponent(uri.pathname)).toContain('break.glass (Contoso)');
  });
});
