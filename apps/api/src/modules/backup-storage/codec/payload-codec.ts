import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { BlobCipher } from '../crypto/blob-cipher';
import { canonicalBytes, sha256Hex } from './canonical-json';

/** A value reduced to its canonical bytes and content hash, before compression and encryption. */
export interface PreparedPayload {
  /** SHA-256 (hex) of the canonical JSON: the content address. */
  readonly hash: string;
  readonly canonical: Buffer;
}

export interface SealedBlob {
  readonly hash: string;
  readonly payload: Buffer;
  /** Size of the canonical JSON in bytes. */
  readonly rawSize: number;
  /** Size of the stored (compressed, encrypted) payload in bytes. */
  readonly storedSize: number;
}

export class PayloadIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = PayloadIntegrityError.name;
  }
}

/**
 * Brotli at quality 1 with a size hint. Measured here on 2,000 Graph-like user objects of ~2.9 KB
 * each (2 shared cores): brotli q1 17 µs/object at 21% of the original size; raw deflate level 6
 * 22 µs at 20%; gzip level 6 24–26 µs at 20%; brotli q5 33–35 µs at 18%; brotli q11 4.3 ms.
 * The backup writes every new version on the hot path of a full run, so the fastest codec with a
 * ratio within a few points of the others wins. The sealed format version pins the codec.
 */
const BROTLI_QUALITY = 1;

/**
 * Canonical JSON -> SHA-256 content hash -> brotli -> AES-256-GCM (hash as associated data).
 * `prepare` is split from `seal` so a writer can hash first and skip compression and encryption
 * entirely for content that is already stored.
 */
@Injectable()
export class PayloadCodec {
  constructor(private readonly cipher: BlobCipher) {}

  prepare(value: unknown): PreparedPayload {
    const canonical = canonicalBytes(value);
    return { hash: sha256Hex(canonical), canonical };
  }

  seal(prepared: PreparedPayload): SealedBlob {
    const compressed = brotliCompressSync(prepared.canonical, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: prepared.canonical.length,
      },
    });
    const payload = this.cipher.seal(compressed, Buffer.from(prepared.hash, 'hex'));
    return { hash: prepared.hash, payload, rawSize: prepared.canonical.length, storedSize: payload.length };
  }

  encode(value: unknown): SealedBlob {
    return this.seal(this.prepare(value));
  }

  /** Decrypts, decompresses and parses a blob, and checks that its content still has `hash`. */
  open(hash: string, payload: Buffer): unknown {
    const compressed = this.cipher.open(payload, Buffer.from(hash, 'hex'));
    let canonical: Buffer;
    try {
      canonical = brotliDecompressSync(compressed);
    } catch {
      throw new PayloadIntegrityError(`Blob ${hash} does not decompress`);
    }
    if (sha256Hex(canonical) !== hash)
      throw new PayloadIntegrityError(`Blob ${hash} does not match its content hash`);
    return JSON.parse(canonical.toString('utf8')) as unknown;
  }

  /**
   * Seals a short secret that is not content-addressed (a delta link is a bearer-like token).
   * `context` binds it to where it is stored, so a sealed value copied to another row fails to open.
   */
  sealText(text: string, context: string): Buffer {
    return this.cipher.seal(Buffer.from(text, 'utf8'), Buffer.from(context, 'utf8'));
  }

  openText(sealed: Buffer, context: string): string {
    return this.cipher.open(sealed, Buffer.from(context, 'utf8')).toString('utf8');
  }
}
