import { createBreakGlassAccountRequestSchema, weakPasswordReason } from './emergency.schemas';

describe('weakPasswordReason', () => {
  it.each([
    ['short', 'Sh0rt-pass!'],
    ['a common word with digits and signs', 'Password12345!'],
    ['a repeated common word', 'qwertyqwerty12'],
    ['a keyboard run', 'qwertyuiopasdf'],
    ['a digit run', '12345678901234'],
    ['too few characters repeated', 'abababababababab'],
    ['the user name', 'break.glass-2026-x!'],
  ])('refuses %s', (_case, password) => {
    expect(weakPasswordReason(password, 'break.glass')).toBeDefined();
  });

  it.each(['Correct-Horse-Battery-Staple-42', 'vq7#Lm2!pX9@rT4k'])('accepts %s', (password) => {
    expect(weakPasswordReason(password, 'break.glass')).toBeUndefined();
  });

  it('is enforced by the create request, naming the password', () => {
    const result = createBreakGlassAccountRequestSchema.safeParse({
      username: 'Ops',
      password: 'Password12345!',
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['password'] });
  });
});
