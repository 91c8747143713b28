import { PasswordHasher, SCRYPT_COST } from './password-hasher';

describe(PasswordHasher.name, () => {
  let sut: PasswordHasher;

  beforeEach(() => {
    sut = new PasswordHasher();
  });

  it('stores scrypt with its cost and a salt of its own, and verifies only the right password', async () => {
    const stored = await sut.hash('Correct-Horse-Battery-Staple-42');

    const [scheme, N, r, p, salt, hash] = stored.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', SCRYPT_COST.N, 8, 1]);
    expect(SCRYPT_COST.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    await expect(sut.verify('Correct-Horse-Battery-Staple-42', stored)).resolves.toBe(true);
    await expect(sut.verify('Correct-Horse-Battery-Staple-43', stored)).resolves.toBe(false);
  });

  it('salts every hash, so one password hashes differently each time', async () => {
    const first = await sut.hash('same password, twice');
    const second = await sut.hash('same password, twice');

    expect(first).not.toBe(second);
    await expect(sut.verify('same password, twice', second)).resolves.toBe(true);
  });

  it('verifies with the cost stored in the hash, so a later cost change keeps old hashes valid', async () => {
    const cheaper = await new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }).hash('an older, cheaper hash');

    expect(cheaper.startsWith('scrypt$1024$8$1$')).toBe(true);
    await expect(sut.verify('an older, cheaper hash', cheaper)).resolves.toBe(true);
  });

  it.each(['', 'bcrypt$x', 'scrypt$0$8$1$c2FsdA==$aGFzaA==', 'scrypt$1024$8$1$$aGFzaA=='])(
    'answers false for a malformed stored hash %p',
    async (stored) => {
      await expect(sut.verify('whatever', stored)).resolves.toBe(false);
    },
  );

  it('keeps one dummy hash that matches no password a user would type', async () => {
    const dummy = await sut.dummyHash();

    await expect(sut.dummyHash()).resolves.toBe(dummy);
    await expect(sut.verify('', dummy)).resolves.toBe(false);
  });
});
