import {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  isTransientNetworkError,
  parseRetryAfter,
} from './retry-policy';

describe('retry policy', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  describe(parseRetryAfter.name, () => {
    it('reads delta-seconds', () => {
      expect(parseRetryAfter('7', now)).toBe(7000);
      expect(parseRetryAfter(' 0 ', now)).toBe(0);
    });

    it('reads an HTTP-date relative to now', () => {
      expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
      expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    });

    it('ignores absent and unreadable values', () => {
      expect(parseRetryAfter(undefined, now)).toBeUndefined();
      expect(parseRetryAfter('', now)).toBeUndefined();
      expect(parseRetryAfter('soon', now)).toBeUndefined();
      expect(parseRetryAfter('-3', now)).toBeUndefined();
    });
  });

  describe(backoffDelay.name, () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 1000, maxDelayMs: 8000 };

    it('grows exponentially with half of each step jittered', () => {
      expect(backoffDelay(1, options, () => 0)).toBe(500);
      expect(backoffDelay(1, options, () => 0.999999)).toBe(1000);
      expect(backoffDelay(2, options, () => 0)).toBe(1000);
      expect(backoffDelay(3, options, () => 0.5)).toBe(3000);
    });

    it('caps each step', () => {
      expect(backoffDelay(10, options, () => 0.999999)).toBe(8000);
    });
  });

  describe(isTransientNetworkError.name, () => {
    it('recognises undici errors wrapped in fetch failures', () => {
      const error = new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
      expect(isTransientNetworkError(error)).toBe(true);
    });

    it('recognises aggregated connection errors and socket hang up', () => {
      const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
      expect(
        isTransientNetworkError(new TypeError('fetch failed', { cause: new AggregateError([refused]) })),
      ).toBe(true);
      expect(isTransientNetworkError(new Error('socket hang up'))).toBe(true);
      expect(isTransientNetworkError(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }))).toBe(true);
    });

    it('does not retry certificate or unknown errors', () => {
      const tls = new TypeError('fetch failed', {
        cause: Object.assign(new Error('self signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      });
      expect(isTransientNetworkError(tls)).toBe(false);
      expect(isTransientNetworkError(new Error('boom'))).toBe(false);
      expect(isTransientNetworkError('ECONNRESET')).toBe(false);
    });
  });
});
