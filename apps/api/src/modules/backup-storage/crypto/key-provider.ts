import type { EncryptionKey } from './encryption-key';

/**
 * Port: where encryption keys come from. Payloads are sealed with `currentKey()` and carry its
 * id, so a provider that knows older keys can open payloads written before a rotation.
 */
export abstract class KeyProvider {
  abstract currentKey(): EncryptionKey;
  /** The key with this id, or undefined when this provider does not hold it. */
  abstract keyById(id: string): EncryptionKey | undefined;
}
