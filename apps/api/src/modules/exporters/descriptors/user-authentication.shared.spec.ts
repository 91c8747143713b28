import { columnValue } from '../browse-spec';
import {
  addMethod,
  AUTHENTICATION_METHODS,
  methodUnwritable,
  normalizeAuthenticationMethod,
  removeMethod,
} from './user-authentication.shared';

const USER = '11111111-1111-4111-8111-111111111111';
const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
const EMAIL = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';

const phone = {
  '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
  id: MOBILE,
  phoneNumber: '+1 2065550100',
  phoneType: 'mobile',
  smsSignInState: 'notAllowedByPolicy',
  userId: USER,
};

describe('users: authentication methods', () => {
  describe(normalizeAuthenticationMethod.name, () => {
    it("names the user in the stored id, since Graph's method ids repeat across users", () => {
      const stored = normalizeAuthenticationMethod({ ...phone, '@odata.context': 'x' });

      expect(stored).toEqual({ ...phone, id: `${USER}_${MOBILE}`, methodId: MOBILE });
      // Applied again (a re-read of a stored item), it changes nothing.
      expect(normalizeAuthenticationMethod({ ...stored })).toEqual(stored);
    });

    it('never keeps the secret of a temporary access pass', () => {
      const stored = normalizeAuthenticationMethod({
        '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
        id: 'tap-1',
        temporaryAccessPass: 'TAPRocks!',
        lifetimeInMinutes: 60,
        userId: USER,
      });

      expect(stored).not.toHaveProperty('temporaryAccessPass');
      expect(JSON.stringify(stored)).not.toContain('TAPRocks!');
      expect(stored).toMatchObject({ id: `${USER}_tap-1`, lifetimeInMinutes: 60 });
    });
  });

  it('registers phone and email methods again for their (rewired) user', () => {
    expect(addMethod(normalizeAuthenticationMethod(phone))).toEqual({
      method: 'POST',
      path: `/users/${USER}/authentication/phoneMethods`,
      body: { phoneNumber: '+1 2065550100', phoneType: 'mobile' },
    });
    const email = normalizeAuthenticationMethod({
      '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
      id: EMAIL,
      emailAddress: 'ada@example.com',
      userId: USER,
    });
    expect(addMethod(email)).toEqual({
      method: 'POST',
      path: `/users/${USER}/authentication/emailMethods`,
      body: { emailAddress: 'ada@example.com' },
    });
    expect(removeMethod(email)).toEqual({
      method: 'DELETE',
      path: `/users/${USER}/authentication/emailMethods/${EMAIL}`,
    });
    expect(removeMethod(normalizeAuthenticationMethod(phone))).toEqual({
      method: 'DELETE',
      path: `/users/${USER}/authentication/phoneMethods/${MOBILE}`,
    });
  });

  it.each([
    ['#microsoft.graph.fido2AuthenticationMethod', /FIDO2 security key methods are registered by the user/],
    ['#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', /Microsoft Authenticator methods/],
    ['#microsoft.graph.windowsHelloForBusinessAuthenticationMethod', /Windows Hello for Business methods/],
    ['#microsoft.graph.softwareOathAuthenticationMethod', /Software OATH token methods/],
    ['#microsoft.graph.temporaryAccessPassAuthenticationMethod', /Temporary Access Pass methods/],
    ['#microsoft.graph.passwordAuthenticationMethod', /A password cannot be read/],
  ])('keeps %s as a record only, with why', (type, reason) => {
    const method = normalizeAuthenticationMethod({ '@odata.type': type, id: 'm-1', userId: USER });

    expect(methodUnwritable(method)).toMatch(reason);
    expect(() => addMethod(method)).toThrow(/cannot be written/);
    expect(() => removeMethod(method)).toThrow(/cannot be written/);
  });

  it('writes phone and email methods', () => {
    expect(methodUnwritable(phone)).toBeNull();
    expect(methodUnwritable({ '@odata.type': '#microsoft.graph.emailAuthenticationMethod' })).toBeNull();
  });

  it('matches a method by user, kind and value, so a changed number is a different method', () => {
    const key = AUTHENTICATION_METHODS.assignments!.assignment.key;
    const keyOf = (m: Record<string, unknown>) => key.map((k) => String(m[k] ?? '')).join('|');
    const stored = normalizeAuthenticationMethod(phone);

    expect(keyOf(normalizeAuthenticationMethod({ ...phone, smsSignInState: 'ready' }))).toBe(keyOf(stored));
    expect(keyOf(normalizeAuthenticationMethod({ ...phone, phoneNumber: '+1 2065550199' }))).not.toBe(
      keyOf(stored),
    );
    expect(keyOf(normalizeAuthenticationMethod({ ...phone, userId: 'someone-else' }))).not.toBe(
      keyOf(stored),
    );
  });

  it('browses each method with its user, kind and what it shows', () => {
    const columns = AUTHENTICATION_METHODS.browse!.columns;
    const values = (m: Record<string, unknown>) => columns.map((c) => columnValue(c, m));

    expect(values({ ...normalizeAuthenticationMethod(phone), createdDateTime: null })).toEqual([
      USER,
      'Phone',
      '+1 2065550100 (mobile)',
      null,
    ]);
    expect(
      values(
        normalizeAuthenticationMethod({
          '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
          id: 'k',
          displayName: 'YubiKey',
          createdDateTime: '2026-01-02T03:04:05Z',
          userId: USER,
        }),
      ),
    ).toEqual([USER, 'FIDO2 security key', 'YubiKey', '2026-01-02T03:04:05Z']);
  });
});
