import { BlobCipher, SealedPayloadError } from '../crypto/blob-cipher';
import { MasterKeyProvider } from '../crypto/master-key.provider';
import { sha256Hex } from './canonical-json';
import { PayloadCodec, PayloadIntegrityError } from './payload-codec';

describe(PayloadCodec.name, () => {
  let sut: PayloadCodec;
  const user = {
    id: '9f1c1a7e-0000-4000-8000-000000000001',
    displayName: 'Ada Lovelace',
    userPrincipalName: 'ada@contoso.onmicrosoft.com',
    businessPhones: [],
    proxyAddresses: ['SMTP:ada@contoso.com', 'smtp:ada.lovelace@contoso.com'],
    onPremisesExtensionAttributes: Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]),
    ),
  };

  beforeEach(() => {
    sut = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(Buffer.alloc(32, 3))));
  });

  it('hashes the canonical JSON, so property order does not change the hash', () => {
    const reordered = Object.fromEntries(Object.entries(user).reverse());

    const prepared = sut.prepare(user);

    expect(sut.prepare(reordered).hash).toBe(prepared.hash);
    expect(prepared.hash).toBe(sha256Hex(prepared.canonical));
    expect(prepared.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('round-trips a value and stores fewer bytes than the canonical JSON', () => {
    const sealed = sut.encode(user);

    expect(sut.open(sealed.hash, sealed.payload)).toEqual(user);
    expect(sealed.rawSize).toBe(sut.prepare(user).canonical.length);
    expect(sealed.storedSize).toBe(sealed.payload.length);
    expect(sealed.storedSize).toBeLessThan(sealed.rawSize);
  });

  it('never stores the plaintext', () => {
    const secret = { id: 'k1', key: '111111-222222-333333-444444-555555-666666-777777-888888' };

    const sealed = sut.encode(secret);

    expect(sealed.payload.includes(Buffer.from(secret.key))).toBe(false);
    expect(sealed.payload.includes(Buffer.from('444444'))).toBe(false);
  });

  it('detects a flipped byte anywhere in the stored payload', () => {
    const sealed = sut.encode(user);
    const payload = Buffer.from(sealed.payload);
    payload[payload.length >> 1] = payload[payload.length >> 1]! ^ 0x80;

    expect(() => sut.open(sealed.hash, payload)).toThrow(SealedPayloadError);
  });

  it('refuses a payload stored under another hash', () => {
    const sealed = sut.encode(user);
    const otherHash = sut.prepare({ other: true }).hash;

    expect(() => sut.open(otherHash, sealed.payload)).toThrow(SealedPayloadError);
  });

  it('detects content whose hash does not match even when it decrypts (a blob sealed under a wrong address)', () => {
    const wrongHash = sut.prepare({ other: true }).hash;
    const forged = sut.seal({ hash: wrongHash, canonical: sut.prepare(user).canonical });

    expect(() => sut.open(wrongHash, forged.payload)).toThrow(PayloadIntegrityError);
  });

  it('seals text bound to its context', () => {
    const link = 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc123';

    const sealed = sut.sealText(link, 'tenant-1/users/users');

    expect(sealed.includes(Buffer.from('abc123'))).toBe(false);
    expect(sut.openText(sealed, 'tenant-1/users/users')).toBe(link);
    expect(() => sut.openText(sealed, 'tenant-1/groups/groups')).toThrow(SealedPayloadError);
  });
});
