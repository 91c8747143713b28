import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EncryptionKey, MASTER_KEY_BYTES } from './encryption-key';
import { KeyProvider } from './key-provider';

export const MASTER_KEY_FILE_NAME = 'master.key';

export interface MasterKeySource {
  /** ENTRA_BACKUP_MASTER_KEY: base64 of 32 bytes; when set it wins over the key file. */
  masterKeyBase64?: string;
  /** ENTRA_BACKUP_DATA_DIR: where `master.key` is read from, or generated on first start. */
  dataDir: string;
  /** Checking POSIX permission bits is meaningless on Windows. Defaults to the running platform. */
  platform?: NodeJS.Platform;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = MasterKeyError.name;
  }
}

/**
 * The master key from `ENTRA_BACKUP_MASTER_KEY`, or else from `<data dir>/master.key`, created with
 * mode 0600 on first start.
 *
 * An existing key file that group or others may read or write is refused rather than repaired:
 * the key may already have leaked, which only the operator can judge, and silently tightening the
 * mode would hide that. The error says how to fix it (`chmod 600`). Error messages name the
 * variable or the file, never the key.
 */
export class MasterKeyProvider extends KeyProvider {
  private constructor(private readonly key: EncryptionKey) {
    super();
  }

  static async load(source: MasterKeySource): Promise<MasterKeyProvider> {
    if (source.masterKeyBase64 !== undefined && source.masterKeyBase64.trim() !== '') {
      return new MasterKeyProvider(
        new EncryptionKey(decodeKey(source.masterKeyBase64, 'ENTRA_BACKUP_MASTER_KEY')),
      );
    }
    const path = join(source.dataDir, MASTER_KEY_FILE_NAME);
    const existing = await readKeyFile(path, source.platform ?? process.platform);
    if (existing !== undefined) return new MasterKeyProvider(new EncryptionKey(existing));
    return new MasterKeyProvider(
      new EncryptionKey(await createKeyFile(source.dataDir, path, source.platform ?? process.platform)),
    );
  }

  /** For tests and tools that hold key material already. */
  static fromKey(material: Buffer): MasterKeyProvider {
    return new MasterKeyProvider(new EncryptionKey(material));
  }

  currentKey(): EncryptionKey {
    return this.key;
  }

  keyById(id: string): EncryptionKey | undefined {
    return id === this.key.id ? this.key : undefined;
  }
}

function decodeKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  // Node's base64 decoder skips invalid characters silently, so the alphabet is checked first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) {
    throw new MasterKeyError(
      `${origin} is not valid base64; it must be the base64 encoding of ${MASTER_KEY_BYTES} random bytes ` +
        '(generate one with `openssl rand -base64 32`)',
    );
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(
      `${origin} decodes to ${bytes.length} bytes; it must be the base64 encoding of exactly ${MASTER_KEY_BYTES} bytes ` +
        '(generate one with `openssl rand -base64 32`)',
    );
  }
  return bytes;
}

async function readKeyFile(path: string, platform: NodeJS.Platform): Promise<Buffer | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new MasterKeyError(`Cannot read the master key file ${path}: ${errnoText(error)}`);
  }
  if (!info.isFile()) throw new MasterKeyError(`The master key file ${path} is not a regular file`);
  if (platform !== 'win32' && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new MasterKeyError(
      `The master key file ${path} has mode ${mode}, so other users may read it; refusing to use it. ` +
        `Restrict it with \`chmod 600 ${path}\` (and consider the key exposed if others could read it).`,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MasterKeyError(`Cannot read the master key file ${path}: ${errnoText(error)}`);
  }
  return decodeKey(text, `The master key file ${path}`);
}

/**
 * Writes a new key to a private temporary file, flushes it, then hard-links it into place. The
 * link fails if the name exists, so two processes starting at once cannot overwrite each other's
 * key (the loser reads the winner's), and a crash never leaves a half-written `master.key`.
 */
async function createKeyFile(dataDir: string, path: string, platform: NodeJS.Platform): Promise<Buffer> {
  const material = randomBytes(MASTER_KEY_BYTES);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  let handle;
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    handle = await open(temporary, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  } catch (error) {
    throw new MasterKeyError(`Cannot create the master key file ${path}: ${errnoText(error)}`);
  }
  try {
    await handle.writeFile(`${material.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if (!isErrno(error, 'EEXIST'))
      throw new MasterKeyError(`Cannot create the master key file ${path}: ${errnoText(error)}`);
    const winner = await readKeyFile(path, platform);
    if (winner === undefined)
      throw new MasterKeyError(`The master key file ${path} disappeared while starting`);
    return winner;
  } finally {
    await unlink(temporary);
  }
  await syncDirectory(dataDir);
  return material;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the new directory entry durable; not supported on every platform (e.g. Windows).
  try {
    const handle = await open(dir, fsConstants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!isErrno(error, 'EISDIR') && !isErrno(error, 'EPERM') && !isErrno(error, 'EINVAL')) throw error;
  }
}

// Structural checks: errors raised by Node's fs are not always `instanceof Error` of the caller's realm.
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

function errnoText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}
