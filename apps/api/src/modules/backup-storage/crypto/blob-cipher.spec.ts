import { randomBytes } from 'node:crypto';
import { BlobCipher, SEALED_FORMAT_VERSION, SealedPayloadError } from './blob-cipher';
import { EncryptionKey } from './encryption-key';
import { MasterKeyProvider } from './master-key.provider';

describe(BlobCipher.name, () => {
  const key = Buffer.alloc(32, 7);
  const aad = Buffer.from('ab'.repeat(32), 'hex');
  let sut: BlobCipher;

  beforeEach(() => {
    sut = new BlobCipher(MasterKeyProvider.fromKey(key));
  });

  it('round-trips bytes and writes version, key id, a 12-byte IV and a 16-byte tag before the ciphertext', () => {
    const plaintext = Buffer.from('{"id":"1","key":"123456-654321"}');

    const sealed = sut.seal(plaintext, aad);

    expect(sealed.readUInt8(0)).toBe(SEALED_FORMAT_VERSION);
    expect(sealed.subarray(1, 9).toString('hex')).toBe(new EncryptionKey(key).id);
    expect(sealed.length).toBe(1 + 8 + 12 + 16 + plaintext.length);
    expect(sealed.includes(plaintext)).toBe(false);
    expect(sut.open(sealed, aad).equals(plaintext)).toBe(true);
  });

  it('uses a fresh IV for every payload, so equal plaintexts give different ciphertexts', () => {
    const plaintext = Buffer.from('same');

    const first = sut.seal(plaintext, aad);
    const second = sut.seal(plaintext, aad);

    expect(first.subarray(9, 21).equals(second.subarray(9, 21))).toBe(false);
    expect(first.equals(second)).toBe(false);
  });

  it.each([
    ['a ciphertext byte', (s: Buffer) => s.length - 1],
    ['a tag byte', () => 25],
    ['an IV byte', () => 10],
    ['a key id byte (authenticated header)', () => 3],
  ])('detects a flipped %s', (_label, position) => {
    const sealed = sut.seal(Buffer.from('payload with some length'), aad);
    const at = position(sealed);
    sealed[at] = sealed[at]! ^ 0x01;

    expect(() => sut.open(sealed, aad)).toThrow(SealedPayloadError);
  });

  it('rejects a payload presented under other associated data (a blob moved to another hash)', () => {
    const sealed = sut.seal(Buffer.from('payload'), aad);

    expect(() => sut.open(sealed, Buffer.from('cd'.repeat(32), 'hex'))).toThrow('failed authentication');
  });

  it('rejects truncated payloads and unknown versions with a clear message', () => {
    const sealed = sut.seal(Buffer.from('payload'), aad);
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 9;

    expect(() => sut.open(sealed.subarray(0, 20), aad)).toThrow('truncated');
    expect(() => sut.open(otherVersion, aad)).toThrow('unknown format version 9');
  });

  it('names both key ids, but never key material, when a payload was sealed under another key', () => {
    const otherKey = randomBytes(32);
    const sealed = new BlobCipher(MasterKeyProvider.fromKey(otherKey)).seal(Buffer.from('x'), aad);

    let message = '';
    try {
      sut.open(sealed, aad);
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain(new EncryptionKey(otherKey).id);
    expect(message).toContain(new EncryptionKey(key).id);
    expect(message).not.toContain(otherKey.toString('base64'));
    expect(message).not.toContain(key.toString('base64'));
  });
});
