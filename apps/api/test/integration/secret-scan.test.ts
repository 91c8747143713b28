import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { createClientCertificate } from '../../../../libs/graph/test/support/test-pki';
import { Clock } from '../../src/core/clock/clock';
import { BackupWriterService } from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { KeyProvider } from '../../src/modules/backup-storage/crypto/key-provider';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { TenantRepository } from '../../src/persistence/repositories';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { buildTenant } from '../support/factories';
import { encodedForms, privateKeySecrets, SecretScanner, unsealedValues } from '../support/secret-scan';
import { createTestDataSource, type TestDataSource } from '../support/test-database';

/** What a broken build could ship: a cipher that seals nothing (the payload is still compressed). */
class NoOpCipher extends BlobCipher {
  override seal(plaintext: Buffer): Buffer {
    return plaintext;
  }

  override open(sealed: Buffer): Buffer {
    return sealed;
  }
}

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-12-01T08:00:00.000Z');
  }
}

const KEY = '394180-212806-105886-475090-531949-064658-493317-331705';
const DELTA_LINK = 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=LztZwWjo5IivWBhyxw5rYA';

/**
 * The at-rest scan of the secrets suites, proved able to fail: storage written through a no-op
 * cipher (payloads only brotli-compressed) must be reported, and the real cipher must pass.
 */
describe(SecretScanner.name, () => {
  let db: TestDataSource;
  let keys: KeyProvider;

  beforeEach(async () => {
    db = await createTestDataSource('sqlite');
    keys = MasterKeyProvider.fromKey(randomBytes(32));
  });

  afterEach(async () => {
    await db.destroy();
  });

  /** A committed snapshot holding a BitLocker key and a delta link, plus a key read not yet committed. */
  async function writeStorage(cipher: BlobCipher): Promise<void> {
    const tenantId = buildTenant().id;
    const gate = new DatabaseGate(db.dataSource);
    await new TenantRepository(gate).insertIfAbsent(buildTenant({ id: tenantId }));
    const sql = new BackupSqlRepository(gate);
    const writer = new BackupWriterService(
      new BackupSnapshotRepository(sql),
      new BackupObjectRepository(sql),
      new BackupLeaseRepository(sql),
      new PayloadCodec(cipher),
      new FixedClock(),
    );
    const snapshot = await writer.beginSnapshot(tenantId, {
      mode: 'full',
      types: ['bitlockerKeys', 'users'],
    });
    await snapshot.put('bitlockerKeys', 'recoveryKeys', { id: 'k1', deviceId: 'd1', key: KEY });
    await snapshot.completeType('bitlockerKeys');
    await snapshot.put('users', 'users', { id: 'u1', displayName: 'Adele Vance' });
    snapshot.setDeltaLink('users', 'users', DELTA_LINK);
    await snapshot.completeType('users');
    await snapshot.commit();
    await writer.rememberSecretReads(tenantId, 'bitlockerKeys', [['k2', `${KEY.slice(0, 48)}111111`]]);
  }

  const scanner = () =>
    new SecretScanner([
      { label: 'BitLocker key', value: KEY },
      { label: 'delta link', value: DELTA_LINK },
      { label: 'unsaved key', value: `${KEY.slice(0, 48)}111111` },
    ]);

  it('finds nothing in storage sealed by the real cipher', async () => {
    await writeStorage(new BlobCipher(keys));

    await expect(scanner().scanDatabase(db.dataSource)).resolves.toEqual([]);
    await expect(unsealedValues(db.dataSource, keys.currentKey().id)).resolves.toEqual([]);
  });

  it('reports every secret of storage written through a no-op cipher, compressed or not', async () => {
    await writeStorage(new NoOpCipher(keys));

    const findings = await scanner().scanDatabase(db.dataSource);

    expect(findings).toEqual(
      expect.arrayContaining([
        // The blob payload: only brotli stood between the key and the disk.
        expect.objectContaining({
          where: expect.stringMatching(/^blob\.payload/),
          secret: 'BitLocker key',
          form: 'brotli+plain',
        }),
        expect.objectContaining({ secret: 'delta link', form: 'plain' }),
        expect.objectContaining({
          where: expect.stringMatching(/^backup_secret_read\.sealed_value/),
          secret: 'unsaved key',
          form: 'base64-decoded+plain',
        }),
      ]),
    );
    const unsealed = await unsealedValues(db.dataSource, keys.currentKey().id);
    expect(unsealed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^blob\.payload row \d+ is not sealed$/),
        expect.stringMatching(/^delta_state\.sealed_link row 0 is not sealed$/),
        expect.stringMatching(/^backup_secret_read\.sealed_value row 0 is not sealed$/),
      ]),
    );
  });

  it('finds a secret stored as base64 (at any alignment), base64url, hex or UTF-16', () => {
    const sut = new SecretScanner([{ label: 'key', value: KEY }]);
    for (const prefix of ['', 'x', 'xy']) {
      const inside = Buffer.from(`${prefix}{"key":"${KEY}"}`);
      for (const encoded of [
        inside.toString('base64'),
        inside.toString('base64url'),
        inside.toString('hex'),
        Buffer.from(inside.toString(), 'utf16le').toString('latin1'),
      ]) {
        const log = `level=info msg="stored ${encoded} done"`;
        expect({ prefix, log, found: sut.scanValue('logs', log).length > 0 }).toEqual({
          prefix,
          log,
          found: true,
        });
      }
    }
    expect(sut.scanValue('logs', 'nothing to see here, not even 394180-212806')).toEqual([]);
    expect(encodedForms(KEY).map((f) => f.form)).toEqual(
      expect.arrayContaining(['plain', 'hex', 'base64@0', 'base64@1', 'base64@2', 'base64url@2']),
    );
  });

  it('finds a certificate private key as PEM, as its DER inside a base64 blob, or compressed in a file', async () => {
    const certificate = createClientCertificate();
    const sut = new SecretScanner(privateKeySecrets('private key', certificate.privateKeyPem));
    const dir = await mkdtemp(join(tmpdir(), 'secret-scan-'));
    try {
      const der = privateKeySecrets('k', certificate.privateKeyPem)[2]!.value as Buffer;
      await writeFile(join(dir, 'pem.txt'), `config: ${certificate.privateKeyPem}`);
      await writeFile(
        join(dir, 'der.json'),
        JSON.stringify({ blob: Buffer.concat([Buffer.from('x'), der]).toString('base64') }),
      );
      await writeFile(join(dir, 'packed.br'), brotliCompressSync(Buffer.from(certificate.privateKeyPem)));
      await writeFile(join(dir, 'certificate.pem'), certificate.certificatePem);

      const findings = await sut.scanDirectory(dir);

      expect([...new Set(findings.map((f) => f.where))].sort()).toEqual([
        'file der.json',
        'file packed.br',
        'file pem.txt',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
