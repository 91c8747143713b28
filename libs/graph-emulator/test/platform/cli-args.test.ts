import { parseCliArgs, UsageError } from '../../src/server/cli';

describe(parseCliArgs.name, () => {
  it('leaves the control API open unless --control-token is given', () => {
    expect(parseCliArgs([], '/tmp').controlToken).toBeUndefined();
    expect(parseCliArgs(['--control-token', 'a-long-enough-token-123'], '/tmp').controlToken).toBe(
      'a-long-enough-token-123',
    );
  });

  it('refuses a guessable control token', () => {
    expect(() => parseCliArgs(['--control-token', 'short'], '/tmp')).toThrow(UsageError);
  });
});
