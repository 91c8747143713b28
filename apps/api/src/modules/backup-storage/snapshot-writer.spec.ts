import type { ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../../core/clock/clock';
import type { BackupObjectRepository } from '../../persistence/repositories/backup-object.repository';
import type {
  BackupSnapshotRepository,
  CommitPlan,
} from '../../persistence/repositories/backup-snapshot.repository';
import { BackupStorageExceptionCode } from './backup-storage.exception';
import { PayloadCodec } from './codec/payload-codec';
import { BlobCipher } from './crypto/blob-cipher';
import { MasterKeyProvider } from './crypto/master-key.provider';
import { summarizeObject } from '../exporters/browse-index';
import { deltaLinkContext, SnapshotWriter } from './snapshot-writer';

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-04-01T12:00:00.000Z');
  }
}

type ObjectsDouble = jest.Mocked<Pick<BackupObjectRepository, 'existingBlobHashes' | 'stage' | 'appendLogs'>>;
type SnapshotsDouble = jest.Mocked<Pick<BackupSnapshotRepository, 'saveTypeResult' | 'commit' | 'discard'>>;

const run = { runId: 'run-1', tenantId: 'tenant-1', snapshotId: 'snapshot-1', seq: 4 };

describe(SnapshotWriter.name, () => {
  let objects: ObjectsDouble;
  let snapshots: SnapshotsDouble;
  let codec: PayloadCodec;

  function buildWriter(
    batchObjects = 3,
    mode: 'full' | 'incremental' = 'full',
    types: readonly ObjectTypeKey[] = ['users', 'groups'],
  ): SnapshotWriter {
    return new SnapshotWriter(run, mode, types, {
      objects: objects as unknown as BackupObjectRepository,
      snapshots: snapshots as unknown as BackupSnapshotRepository,
      codec,
      clock: new FixedClock(),
      limits: { batchObjects, batchBytes: 1024 * 1024 },
    });
  }

  beforeEach(() => {
    objects = {
      existingBlobHashes: jest.fn().mockResolvedValue(new Set<string>()),
      stage: jest.fn().mockResolvedValue(undefined),
      appendLogs: jest.fn().mockResolvedValue(0),
    };
    snapshots = {
      saveTypeResult: jest.fn().mockResolvedValue(undefined),
      commit: jest
        .fn()
        .mockImplementation((plan: CommitPlan) =>
          Promise.resolve(plan.types.map((t) => ({ ...t, objects: 0, added: 0, changed: 0, removed: 0 }))),
        ),
      discard: jest.fn().mockResolvedValue(true),
    };
    codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(Buffer.alloc(32, 5))));
  });

  it('stages an already stored object without compressing or encrypting it again', async () => {
    const sut = buildWriter(1);
    const user = { id: 'u1', displayName: 'Ada' };
    objects.existingBlobHashes.mockResolvedValue(new Set([codec.prepare(user).hash]));
    const seal = jest.spyOn(codec, 'seal');

    await sut.put('users', 'users', user);

    expect(seal).not.toHaveBeenCalled();
    expect(objects.stage).toHaveBeenCalledWith(
      'snapshot-1',
      [],
      [{ typeKey: 'users', collection: 'users', objectId: 'u1', contentHash: codec.prepare(user).hash }],
      new Date('2026-04-01T12:00:00.000Z'),
      // Its browse-index row was written with the blob (or is built at start-up).
      [],
    );
  });

  it("stores a new payload's browse-index row with it, built from the display columns only", async () => {
    const sut = new SnapshotWriter(run, 'full', ['bitlockerKeys'], {
      objects: objects as unknown as BackupObjectRepository,
      snapshots: snapshots as unknown as BackupSnapshotRepository,
      codec,
      clock: new FixedClock(),
      limits: { batchObjects: 1, batchBytes: 1024 * 1024 },
      summarize: summarizeObject,
    });
    const key = {
      id: 'k1',
      deviceId: 'd1',
      volumeType: 'operatingSystemVolume',
      createdDateTime: '2026-03-01T00:00:00Z',
      key: '123456-234567-345678-456789-567890-678901-789012-890123',
    };

    await sut.put('bitlockerKeys', 'recoveryKeys', key);

    const [, blobs, , , summaries] = objects.stage.mock.calls[0]!;
    expect(summaries).toEqual([
      expect.objectContaining({
        hash: blobs[0]!.hash,
        typeKey: 'bitlockerKeys',
        collection: 'recoveryKeys',
        altId: null,
        display: JSON.stringify({
          device: 'd1',
          volumeType: 'operatingSystemVolume',
          createdDateTime: '2026-03-01T00:00:00Z',
        }),
      }),
    ]);
    expect(JSON.stringify(summaries)).not.toContain(key.key);
  });

  it('holds back the caller that fills a batch until the batch is stored', async () => {
    const sut = buildWriter(2);
    let release!: () => void;
    objects.stage.mockReturnValueOnce(new Promise<void>((resolve) => (release = resolve)));
    await sut.put('users', 'users', { id: 'u1' });

    let done = false;
    const filling = sut.put('users', 'users', { id: 'u2' }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    release();
    await filling;

    expect(done).toBe(true);
  });

  it('never writes two batches at once when several types put concurrently', async () => {
    const sut = buildWriter(2);
    let inFlight = 0;
    let maxInFlight = 0;
    objects.stage.mockImplementation(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    });

    await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => sut.put('users', 'users', { id: `u${i}` })),
      ...Array.from({ length: 9 }, (_, i) => sut.put('groups', 'groups', { id: `g${i}` })),
    ]);
    await sut.completeType('users');
    await sut.completeType('groups');

    expect(maxInFlight).toBe(1);
    const staged = objects.stage.mock.calls.flatMap(([, , rows]) => rows.map((r) => r.objectId));
    expect(staged).toHaveLength(18);
  });

  it('stops accepting writes after a storage error, names it, and still lets the run be aborted', async () => {
    const sut = buildWriter(1);
    objects.stage.mockRejectedValueOnce(new Error('disk I/O error'));

    await expect(sut.put('users', 'users', { id: 'u1' })).rejects.toThrow('disk I/O error');
    await expect(sut.put('users', 'users', { id: 'u2' })).rejects.toMatchObject({
      code: BackupStorageExceptionCode.SNAPSHOT_WRITER_CLOSED,
      message: expect.stringContaining('disk I/O error'),
    });
    await expect(sut.commit()).rejects.toThrow('disk I/O error');
    await sut.abort('storage failed');

    expect(snapshots.commit).not.toHaveBeenCalled();
    expect(snapshots.discard).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'failed', reason: 'storage failed' }),
    );
  });

  it('commits sealed delta links and watermarks of succeeded types only', async () => {
    const sut = buildWriter();
    sut.setDeltaLink('users', 'users', 'https://graph/users/delta?$deltatoken=secret-users');
    sut.setDeltaLink('groups', 'groups', 'https://graph/groups/delta?$deltatoken=secret-groups');
    await sut.completeType('users', {
      requests: 2,
      retries: 1,
      throttledWaits: 1,
      throttledWaitMs: 500,
      durationMs: 900,
    });
    await sut.failType('groups', { reason: 'Graph error', graphCode: 'generalException', requestId: 'r-9' });

    const result = await sut.commit();

    expect(result).toMatchObject({ status: 'partial', snapshotId: 'snapshot-1', seq: 4 });
    const plan = snapshots.commit.mock.calls[0]![0];
    expect(plan.deltaLinks).toHaveLength(1);
    const [link] = plan.deltaLinks;
    expect(link).toMatchObject({ typeKey: 'users', collection: 'users' });
    expect(link!.sealedLink.includes(Buffer.from('secret-users'))).toBe(false);
    expect(codec.openText(link!.sealedLink, deltaLinkContext('tenant-1', 'users', 'users'))).toBe(
      'https://graph/users/delta?$deltatoken=secret-users',
    );
    expect(plan.types).toEqual([
      expect.objectContaining({
        typeKey: 'users',
        status: 'succeeded',
        requests: 2,
        retries: 1,
        throttledWaits: 1,
        throttledWaitMs: 500,
        durationMs: 900,
      }),
      expect.objectContaining({
        typeKey: 'groups',
        status: 'failed',
        graphCode: 'generalException',
        requestId: 'r-9',
      }),
    ]);
  });

  it('hands the commit the log entries each type stored for the first time, a failed type included', async () => {
    const sut = buildWriter(2, 'incremental', ['users', 'signInLogs', 'auditLogs']);
    // Three sign-ins in two batches, of which the second batch held only ids stored before.
    objects.appendLogs.mockResolvedValueOnce(2).mockResolvedValueOnce(0).mockResolvedValueOnce(1);

    await sut.appendLogs('signInLogs', 'signIns', [{ id: 's1' }, { id: 's2' }, { id: 's3' }]);
    await sut.appendLogs('auditLogs', 'directoryAudits', [{ id: 'a1' }]);
    await sut.completeType('users');
    await sut.completeType('signInLogs');
    await sut.failType('auditLogs', { reason: 'Graph error' });
    await sut.commit();

    expect(objects.appendLogs).toHaveBeenCalledTimes(3);
    expect(snapshots.commit.mock.calls[0]![0].newLogEntries).toEqual([
      { typeKey: 'signInLogs', entries: 2 },
      { typeKey: 'auditLogs', entries: 1 },
    ]);
  });

  it('rejects ids and watermarks that do not fit their columns before anything is buffered', async () => {
    const sut = buildWriter();

    await expect(sut.put('users', 'users', { id: 'x'.repeat(513) })).rejects.toThrow(
      'longer than 512 characters',
    );
    await expect(sut.remove('users', 'users', 'y'.repeat(513))).rejects.toThrow('longer than 512 characters');
    expect(() => sut.setWatermark('users', 'z'.repeat(257))).toThrow('1 to 256 characters');
    await sut.completeType('users');
    expect(objects.stage).not.toHaveBeenCalled();
  });

  it('rejects figures that are not non-negative integers', async () => {
    const sut = buildWriter();

    await expect(sut.completeType('users', { requests: -1 })).rejects.toThrow(
      'requests must be a non-negative integer, got -1',
    );
    await expect(sut.completeType('users', { durationMs: 1.5 })).rejects.toThrow('durationMs');
    await expect(sut.completeType('users', { requests: 1 })).resolves.toBeUndefined();
  });
});
