import { randomBytes, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PREFIX_LENGTH = 8;
/** 32 random bytes: 256 bits, as 43 base64url characters. */
const SECRET_BYTES = 32;

/** New keys' random parts, behind a class we own so the service is tested with known values. */
export abstract class ApiKeySecrets {
  /** 8 lower-case letters and digits: the visible, unique part of a key. */
  abstract newPrefix(): string;
  /** 43 base64url characters of 32 random bytes. */
  abstract newSecret(): string;
}

@Injectable()
export class RandomApiKeySecrets extends ApiKeySecrets {
  newPrefix(): string {
    let prefix = '';
    for (let i = 0; i < PREFIX_LENGTH; i += 1) prefix += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
    return prefix;
  }

  newSecret(): string {
    return randomBytes(SECRET_BYTES).toString('base64url');
  }
}

/** The key as the client sends it: `eb_<prefix>_<secret>`. */
export function formatApiKey(prefix: string, secret: string): string {
  return `eb_${prefix}_${secret}`;
}
