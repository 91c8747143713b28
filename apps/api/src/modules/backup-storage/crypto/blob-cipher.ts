import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KEY_ID_BYTES } from './encryption-key';
import { KeyProvider } from './key-provider';

/**
 * Sealed payload layout, version 1 (all offsets in bytes):
 *
 *   0        version (1)        — the layout and algorithms below; bump it to change either
 *   1..8     key id (8)         — fingerprint of the master key that sealed it
 *   9..20    IV (12)            — random per payload: GCM must never reuse an IV under one key
 *   21..36   auth tag (16)
 *   37..     ciphertext
 *
 * AES-256-GCM authenticates the header (version and key id) plus caller-supplied associated data
 * (for blobs: their content hash), so a payload moved under another hash, or a header edited to
 * point at another key, fails to open just like a flipped ciphertext byte.
 */
export const SEALED_FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const PREFIX_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;

export class SealedPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = SealedPayloadError.name;
  }
}

@Injectable()
export class BlobCipher {
  constructor(private readonly keys: KeyProvider) {}

  seal(plaintext: Buffer, associatedData: Buffer): Buffer {
    const key = this.keys.currentKey();
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(SEALED_FORMAT_VERSION, 0);
    Buffer.from(key.id, 'hex').copy(header, 1);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.payloadKey(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.concat([header, associatedData]));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
  }

  open(sealed: Buffer, associatedData: Buffer): Buffer {
    if (sealed.length < PREFIX_BYTES) {
      throw new SealedPayloadError(
        `Sealed payload is truncated (${sealed.length} bytes, at least ${PREFIX_BYTES} expected)`,
      );
    }
    const version = sealed.readUInt8(0);
    if (version !== SEALED_FORMAT_VERSION) {
      throw new SealedPayloadError(`Sealed payload has unknown format version ${version}`);
    }
    const keyId = sealed.subarray(1, HEADER_BYTES).toString('hex');
    const key = this.keys.keyById(keyId);
    if (key === undefined) {
      throw new SealedPayloadError(
        `Sealed payload was encrypted with key ${keyId}, but the configured master key is ${this.keys.currentKey().id}`,
      );
    }
    const iv = sealed.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
    const tag = sealed.subarray(HEADER_BYTES + IV_BYTES, PREFIX_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.payloadKey(), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([sealed.subarray(0, HEADER_BYTES), associatedData]));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(PREFIX_BYTES)), decipher.final()]);
    } catch {
      throw new SealedPayloadError(
        'Sealed payload failed authentication: it was altered or belongs to other data',
      );
    }
  }
}
