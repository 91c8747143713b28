import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptionKey } from './encryption-key';
import { MASTER_KEY_FILE_NAME, MasterKeyError, MasterKeyProvider } from './master-key.provider';

describe(MasterKeyProvider.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entra-backup-key-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('from ENTRA_BACKUP_MASTER_KEY', () => {
    it('uses the decoded key and creates no key file', async () => {
      const material = randomBytes(32);

      const sut = await MasterKeyProvider.load({
        masterKeyBase64: material.toString('base64'),
        dataDir: dir,
      });

      expect(sut.currentKey().id).toBe(new EncryptionKey(material).id);
      await expect(stat(join(dir, MASTER_KEY_FILE_NAME))).rejects.toThrow('ENOENT');
    });

    it.each([
      ['too short', randomBytes(16).toString('base64'), 'decodes to 16 bytes'],
      ['too long', randomBytes(48).toString('base64'), 'decodes to 48 bytes'],
      ['not base64', 'this is not a key!!', 'is not valid base64'],
      ['hex instead of base64', randomBytes(32).toString('hex'), 'decodes to 48 bytes'],
    ])(
      'rejects a key that is %s with a message naming the variable but not the value',
      async (_label, value, expected) => {
        const failure = MasterKeyProvider.load({ masterKeyBase64: value, dataDir: dir });

        await expect(failure).rejects.toThrow(MasterKeyError);
        await expect(failure).rejects.toThrow(`ENTRA_BACKUP_MASTER_KEY ${expected}`);
        await expect(failure.catch((error: Error) => error.message)).resolves.not.toContain(value);
      },
    );
  });

  describe('from the key file', () => {
    it('generates a 32-byte key with mode 0600 on first start and reuses it afterwards', async () => {
      const dataDir = join(dir, 'nested', 'data');

      const first = await MasterKeyProvider.load({ dataDir });
      const second = await MasterKeyProvider.load({ dataDir });

      const path = join(dataDir, MASTER_KEY_FILE_NAME);
      const info = await stat(path);
      expect(info.mode & 0o777).toBe(0o600);
      expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toHaveLength(32);
      expect(second.currentKey().id).toBe(first.currentKey().id);
    });

    it('gives the same key to processes that start at the same time', async () => {
      const providers = await Promise.all([1, 2, 3, 4].map(() => MasterKeyProvider.load({ dataDir: dir })));

      expect(new Set(providers.map((p) => p.currentKey().id)).size).toBe(1);
    });

    it('refuses an existing key file that others can read, and says how to fix it', async () => {
      const path = join(dir, MASTER_KEY_FILE_NAME);
      await writeFile(path, `${randomBytes(32).toString('base64')}\n`);
      await chmod(path, 0o644);

      await expect(MasterKeyProvider.load({ dataDir: dir, platform: 'linux' })).rejects.toThrow(
        `The master key file ${path} has mode 0644, so other users may read it; refusing to use it. Restrict it with \`chmod 600 ${path}\``,
      );
    });

    it('skips the permission check on Windows, where POSIX modes mean nothing', async () => {
      const path = join(dir, MASTER_KEY_FILE_NAME);
      const material = randomBytes(32);
      await writeFile(path, material.toString('base64'));
      await chmod(path, 0o644);

      const sut = await MasterKeyProvider.load({ dataDir: dir, platform: 'win32' });

      expect(sut.currentKey().id).toBe(new EncryptionKey(material).id);
    });

    it('rejects a damaged key file without printing its contents', async () => {
      const path = join(dir, MASTER_KEY_FILE_NAME);
      await writeFile(path, 'c2hvcnQ=\n', { mode: 0o600 });

      await expect(MasterKeyProvider.load({ dataDir: dir })).rejects.toThrow(
        `The master key file ${path} decodes to 5 bytes; it must be the base64 encoding of exactly 32 bytes`,
      );
    });

    it('says which key file it cannot create when the data directory is not writable', async () => {
      // A dangling symlink: the key file does not exist, and the directory cannot be created.
      const dangling = join(dir, 'data');
      await symlink(join(dir, 'missing', 'target'), dangling);

      await expect(MasterKeyProvider.load({ dataDir: dangling })).rejects.toThrow(
        `Cannot create the master key file ${join(dangling, MASTER_KEY_FILE_NAME)}: ENOENT`,
      );
    });

    it('rejects a key path that is a directory', async () => {
      await mkdir(join(dir, MASTER_KEY_FILE_NAME), { mode: 0o700 });

      await expect(MasterKeyProvider.load({ dataDir: dir })).rejects.toThrow('is not a regular file');
    });

    it('prefers ENTRA_BACKUP_MASTER_KEY over an existing key file', async () => {
      await MasterKeyProvider.load({ dataDir: dir });
      const material = randomBytes(32);

      const sut = await MasterKeyProvider.load({
        masterKeyBase64: material.toString('base64'),
        dataDir: dir,
      });

      expect(sut.currentKey().id).toBe(new EncryptionKey(material).id);
      expect(sut.keyById(new EncryptionKey(material).id)).toBe(sut.currentKey());
      expect(sut.keyById('0000000000000000')).toBeUndefined();
    });
  });
});
