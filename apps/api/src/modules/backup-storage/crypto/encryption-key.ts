import { createHash, hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';

/** Length in bytes of the key id written into every sealed payload. */
export const KEY_ID_BYTES = 8;
export const MASTER_KEY_BYTES = 32;

/**
 * A master key and what is derived from it. The material lives in a private field and the class
 * overrides every way an object is usually printed (`inspect`, `toJSON`, `toString`), so a stray
 * `logger.debug(key)` or an error serializer walking an object graph prints the key id only.
 */
export class EncryptionKey {
  /** Public fingerprint of the key (hex), stored with each blob so keys can be rotated later. */
  readonly id: string;
  readonly #dataKey: Buffer;

  constructor(material: Buffer) {
    if (material.length !== MASTER_KEY_BYTES) {
      throw new Error(`A master key must be exactly ${MASTER_KEY_BYTES} bytes, got ${material.length}`);
    }
    this.id = createHash('sha256')
      .update('entra-backup/key-id/v1')
      .update(material)
      .digest()
      .subarray(0, KEY_ID_BYTES)
      .toString('hex');
    // A dedicated sub-key (HKDF) for payload encryption keeps the master key free for other
    // uses (such as a future keyed index) without ever using one key for two purposes.
    this.#dataKey = Buffer.from(
      hkdfSync('sha256', material, Buffer.alloc(0), 'entra-backup/payload-aes-256-gcm/v1', 32),
    );
  }

  /** The AES-256-GCM key for payloads. Only the cipher calls this. */
  payloadKey(): Buffer {
    return this.#dataKey;
  }

  toString(): string {
    return `[EncryptionKey ${this.id}]`;
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
