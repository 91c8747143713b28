import { FixedClock } from '../../../test/support/doubles';
import {
  SIGN_IN_START_WINDOW_MS,
  SIGN_IN_STARTS_PER_WINDOW,
  SignInStartLimiter,
} from './sign-in-start-limiter';

const NOW = new Date('2026-11-26T08:00:00.000Z');

describe(SignInStartLimiter.name, () => {
  let sut: SignInStartLimiter;
  let clock: FixedClock;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    sut = new SignInStartLimiter(clock);
  });

  const startMany = (address: string, count: number) =>
    Array.from({ length: count }, () => sut.admit(address).allowed);

  it('allows a client its starts per window, then refuses with the seconds left in the window', () => {
    expect(startMany('203.0.113.7', SIGN_IN_STARTS_PER_WINDOW).every(Boolean)).toBe(true);
    clock.set(new Date(NOW.getTime() + 60_000));

    expect(sut.admit('203.0.113.7')).toEqual({
      allowed: false,
      retryAfterSeconds: (SIGN_IN_START_WINDOW_MS - 60_000) / 1000,
    });
  });

  it('counts each address on its own', () => {
    startMany('203.0.113.7', SIGN_IN_STARTS_PER_WINDOW + 1);

    expect(sut.admit('198.51.100.2').allowed).toBe(true);
  });

  it('starts counting afresh when the window has passed', () => {
    startMany('203.0.113.7', SIGN_IN_STARTS_PER_WINDOW + 1);
    clock.set(new Date(NOW.getTime() + SIGN_IN_START_WINDOW_MS));

    expect(sut.admit('203.0.113.7').allowed).toBe(true);
  });
});
