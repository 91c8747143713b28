import { describeIdentityError } from './sign-in-errors';

describe(describeIdentityError.name, () => {
  it('keeps the sentence and the AADSTS code, drops trace and correlation ids', () => {
    expect(
      describeIdentityError(
        'consent_required',
        'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 3',
      ),
    ).toBe('User declined to consent to access the app. (AADSTS65004)');
  });

  it('uses a readable sentence when there is no description', () => {
    expect(describeIdentityError('access_denied', undefined)).toBe('The request was declined.');
    expect(describeIdentityError('weird_error', '')).toBe('Microsoft answered "weird_error".');
  });

  it('passes a description without a code through', () => {
    expect(describeIdentityError('server_error', 'Something broke')).toBe('Something broke');
  });
});
