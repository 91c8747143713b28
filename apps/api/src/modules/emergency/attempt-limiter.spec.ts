import { FixedClock } from '../../../test/support/doubles';
import { AttemptLimiter } from './attempt-limiter';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const MINUTE = 60_000;

describe(AttemptLimiter.name, () => {
  let clock: FixedClock;
  let sut: AttemptLimiter;

  const at = (ms: number) => clock.set(new Date(NOW.getTime() + ms));

  beforeEach(() => {
    clock = new FixedClock(NOW);
    sut = new AttemptLimiter(clock, { maxFailures: 3, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE });
  });

  it('blocks a key at its third failure for the block time, then lets it try again', () => {
    expect(sut.recordFailure('a')).toBe(false);
    expect(sut.recordFailure('a')).toBe(false);
    expect(sut.blockedForMs('a')).toBe(0);

    expect(sut.recordFailure('a')).toBe(true);
    expect(sut.blockedForMs('a')).toBe(15 * MINUTE);
    expect(sut.blockedForMs('b')).toBe(0);

    at(10 * MINUTE);
    expect(sut.blockedForMs('a')).toBe(5 * MINUTE);
    at(15 * MINUTE);
    expect(sut.blockedForMs('a')).toBe(0);
    // A fresh count after the block.
    expect(sut.recordFailure('a')).toBe(false);
  });

  it('forgets failures older than the window', () => {
    sut.recordFailure('a');
    sut.recordFailure('a');
    at(16 * MINUTE);

    expect(sut.recordFailure('a')).toBe(false);
    expect(sut.blockedForMs('a')).toBe(0);
  });

  it('starts over after a reset (a success)', () => {
    sut.recordFailure('a');
    sut.recordFailure('a');
    sut.reset('a');

    expect(sut.recordFailure('a')).toBe(false);
  });

  it('reports the first refusal of a block only once', () => {
    for (let i = 0; i < 3; i++) sut.recordFailure('a');

    expect(sut.firstRefusalInBlock('a')).toBe(true);
    expect(sut.firstRefusalInBlock('a')).toBe(false);
  });
});
