import { inspect } from 'node:util';
import { EncryptionKey } from './encryption-key';

describe(EncryptionKey.name, () => {
  const material = Buffer.from('k'.repeat(32));

  it('has a stable 16-hex-digit id that differs between keys', () => {
    const sut = new EncryptionKey(material);

    expect(sut.id).toMatch(/^[0-9a-f]{16}$/);
    expect(new EncryptionKey(Buffer.from(material)).id).toBe(sut.id);
    expect(new EncryptionKey(Buffer.alloc(32, 1)).id).not.toBe(sut.id);
  });

  it('derives a payload key that is not the master key itself', () => {
    const sut = new EncryptionKey(material);

    expect(sut.payloadKey()).toHaveLength(32);
    expect(sut.payloadKey().equals(material)).toBe(false);
  });

  it('prints only its id through inspect, JSON and string conversion', () => {
    const sut = new EncryptionKey(material);
    const printed = [
      inspect({ nested: sut }, { depth: 5, showHidden: true }),
      JSON.stringify({ sut }),
      `${sut}`,
    ];

    for (const text of printed) {
      expect(text).toContain(sut.id);
      expect(text).not.toContain('kkkk');
      expect(text).not.toContain(material.toString('base64'));
      expect(text).not.toContain(sut.payloadKey().toString('hex'));
    }
  });

  it('rejects material of the wrong length', () => {
    expect(() => new EncryptionKey(Buffer.alloc(16))).toThrow('exactly 32 bytes, got 16');
  });
});
