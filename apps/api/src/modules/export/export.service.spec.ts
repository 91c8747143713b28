import type { ObjectTypeKey } from '@entra-backup/common';
import { strictDouble } from '../../../test/support/doubles';
import type { BackupReaderService, SnapshotObject } from '../backup-storage/backup-reader.service';
import type { TenantsService } from '../tenants/tenants.service';
import type { ExportFiles, StagedExportFile } from './export-files';
import { ExportLayouts } from './export-layouts';
import { ExportExceptionCode } from './export.exception';
import { ExportService } from './export.service';
import type { ExportZips, ZipExportSink } from './export-zip';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SNAPSHOT = {
  id: 'snap-2',
  tenantId: TENANT,
  seq: 2,
  runId: 'run-2',
  mode: 'full' as const,
  status: 'complete' as const,
  createdAt: new Date('2026-11-26T08:00:00Z'),
  completedAt: null,
};

class FakeFile implements StagedExportFile {
  lines: string[] = [];
  state: 'open' | 'closed' | 'published' | 'discarded' = 'open';
  constructor(readonly finalName: string) {}
  get bytes(): number {
    return this.lines.reduce((n, l) => n + l.length + 1, 0);
  }
  async writeLine(line: string): Promise<void> {
    this.lines.push(line);
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
  async publish(): Promise<void> {
    this.state = 'published';
  }
  async discard(): Promise<void> {
    this.state = 'discarded';
  }
}

async function* items(...objects: SnapshotObject[]): AsyncGenerator<SnapshotObject> {
  for (const object of objects) yield object;
}

async function* failingAfter(object: SnapshotObject): AsyncGenerator<SnapshotObject> {
  yield object;
  throw new Error('Blob abc is missing; run verify for a full damage report');
}

class FakeZip implements ZipExportSink {
  entries: FakeFile[] = [];
  finished = false;
  aborted: unknown = null;
  async open(name: string) {
    const previous = this.entries.at(-1);
    // A zip cannot interleave entries: the previous one must be closed first.
    if (previous !== undefined && previous.state === 'open')
      throw new Error(`${previous.finalName} still open`);
    const file = new FakeFile(name);
    this.entries.push(file);
    return file;
  }
  async finish() {
    this.finished = true;
  }
  abort(reason: unknown) {
    this.aborted = reason;
  }
}

function typeResult(typeKey: string, status: 'succeeded' | 'failed', reason: string | null) {
  return {
    typeKey,
    status,
    reason,
    graphCode: status === 'failed' ? 'TooManyRequests' : null,
    requestId: status === 'failed' ? 'req-1' : null,
    requests: 1,
    retries: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    bytesStored: 0,
    durationMs: 1,
    finishedAt: new Date(),
    objects: 0,
    added: 0,
    changed: 0,
    removed: 0,
  };
}

describe(ExportService.name, () => {
  let tenants: jest.Mocked<TenantsService>;
  let reader: jest.Mocked<BackupReaderService>;
  let files: jest.Mocked<ExportFiles>;
  let zips: jest.Mocked<ExportZips>;
  let staged: FakeFile[];
  let sut: ExportService;

  beforeEach(() => {
    tenants = strictDouble<TenantsService>('TenantsService');
    reader = strictDouble<BackupReaderService>('BackupReaderService');
    files = strictDouble<ExportFiles>('ExportFiles');
    staged = [];
    tenants.get.mockResolvedValue({ tenantId: TENANT, displayName: 'Contoso', createdAt: '', updatedAt: '' });
    reader.getSnapshotDetails.mockResolvedValue({
      snapshot: SNAPSHOT,
      run: {
        id: 'run-2',
        tenantId: TENANT,
        mode: 'full',
        status: 'completed',
        types: ['bitlockerKeys'],
        startedAt: new Date(),
        finishedAt: null,
        reason: null,
      },
      types: [],
    });
    files.prepareDirectory.mockResolvedValue();
    files.list.mockResolvedValue([]);
    files.stage.mockImplementation(async (_dir, name) => {
      const file = new FakeFile(name);
      staged.push(file);
      return file;
    });
    files.remove.mockResolvedValue();
    files.syncDirectory.mockResolvedValue();
    zips = strictDouble<ExportZips>('ExportZips');
    sut = new ExportService(tenants, reader, files, new ExportLayouts(), zips);
  });

  it('writes each collection to its file, without secrets, and publishes only when every file is written', async () => {
    reader.objectsAt.mockImplementation((_t, _s, type: ObjectTypeKey) =>
      type === 'builtInRoles'
        ? items(
            { collection: 'roleAssignments', id: 'ra1', object: { id: 'ra1' } },
            { collection: 'roleDefinitions', id: 'r1', object: { id: 'r1', isBuiltIn: true } },
          )
        : items({
            collection: 'recoveryKeys',
            id: 'k1',
            object: { id: 'k1', key: '111111-222222', deviceId: 'd1' },
          }),
    );
    reader.logsAt.mockImplementation(() => items());

    const result = await sut.exportSnapshot({
      tenantId: TENANT,
      snapshot: 'latest',
      outDir: '/out',
      types: ['builtInRoles', 'bitlockerKeys'],
    });

    // Files are written one at a time, in the order the reader yields collections.
    expect(staged.map((f) => [f.finalName, f.lines, f.state])).toEqual([
      ['builtInRoles.roleAssignments.jsonl', ['{"id":"ra1"}'], 'published'],
      ['builtInRoles.jsonl', ['{"id":"r1","isBuiltIn":true}'], 'published'],
      ['bitlockerKeys.jsonl', ['{"id":"k1","deviceId":"d1"}'], 'published'],
      ['manifest.json', [expect.any(String)], 'published'],
    ]);
    expect(result).toMatchObject({
      snapshotId: 'snap-2',
      seq: 2,
      secretsIncluded: false,
      secretsStripped: 1,
      replaced: [],
    });
    expect(result.files.map((f) => [f.file, f.primary, f.objects])).toEqual([
      ['builtInRoles.jsonl', true, 1],
      ['builtInRoles.roleAssignments.jsonl', false, 1],
      ['bitlockerKeys.jsonl', true, 1],
    ]);
  });

  it('keeps secrets when asked to', async () => {
    reader.objectsAt.mockImplementation(() =>
      items({ collection: 'recoveryKeys', id: 'k1', object: { id: 'k1', key: '111111-222222' } }),
    );
    reader.logsAt.mockImplementation(() => items());

    await sut.exportSnapshot({
      tenantId: TENANT,
      snapshot: 'latest',
      outDir: '/out',
      types: ['bitlockerKeys'],
      includeSecrets: true,
    });

    expect(staged[0]!.lines).toEqual(['{"id":"k1","key":"111111-222222"}']);
  });

  it('discards every file and publishes none when reading fails part-way', async () => {
    reader.objectsAt.mockImplementation((_t, _s, type: ObjectTypeKey) =>
      type === 'users'
        ? items({ collection: 'users', id: 'u1', object: { id: 'u1' } })
        : failingAfter({ collection: 'groups', id: 'g1', object: { id: 'g1' } }),
    );
    reader.logsAt.mockImplementation(() => items());

    await expect(
      sut.exportSnapshot({
        tenantId: TENANT,
        snapshot: 'latest',
        outDir: '/out',
        types: ['users', 'groups'],
      }),
    ).rejects.toThrow('Blob abc is missing');

    expect(staged.map((f) => f.state)).toEqual(['discarded', 'discarded']);
    expect(files.syncDirectory).not.toHaveBeenCalled();
  });

  it('refuses a directory with export files unless forced, naming them', async () => {
    files.list.mockResolvedValue(['users.jsonl', 'notes.txt', 'groups.jsonl']);

    await expect(
      sut.exportSnapshot({ tenantId: TENANT, snapshot: 'latest', outDir: '/out', types: ['users'] }),
    ).rejects.toMatchObject({
      code: ExportExceptionCode.EXPORT_TARGET_NOT_EMPTY,
      message: expect.stringContaining('groups.jsonl, users.jsonl'),
    });
    expect(files.stage).not.toHaveBeenCalled();
  });

  it('with force, removes stale files of the exported types only', async () => {
    files.list.mockResolvedValue(['users.jsonl', 'users.old.jsonl', 'groups.jsonl', 'notes.txt']);
    reader.objectsAt.mockImplementation(() => items({ collection: 'users', id: 'u1', object: { id: 'u1' } }));
    reader.logsAt.mockImplementation(() => items());

    const result = await sut.exportSnapshot({
      tenantId: TENANT,
      snapshot: 'latest',
      outDir: '/out',
      types: ['users'],
      force: true,
    });

    expect(files.remove).toHaveBeenCalledTimes(1);
    expect(files.remove).toHaveBeenCalledWith('/out', 'users.old.jsonl');
    expect(result.replaced).toEqual(['users.jsonl', 'users.old.jsonl']);
  });

  it('exports the types the snapshot holds when none are named', async () => {
    reader.countsAt.mockResolvedValue({ users: { users: 3 } });
    reader.objectsAt.mockImplementation(() => items());
    reader.logsAt.mockImplementation(() => items());

    const result = await sut.exportSnapshot({ tenantId: TENANT, snapshot: 'latest', outDir: '/out' });

    // users holds objects; bitlockerKeys was covered by the run and is empty: both are exported.
    expect(result.types).toEqual(['users', 'bitlockerKeys']);
    expect(staged.map((f) => [f.finalName, f.lines.length])).toEqual([
      ['users.jsonl', 0],
      ['bitlockerKeys.jsonl', 0],
      ['manifest.json', 1],
    ]);
  });

  describe('of a partial snapshot', () => {
    beforeEach(() => {
      reader.getSnapshotDetails.mockResolvedValue({
        snapshot: { ...SNAPSHOT, status: 'partial' },
        run: {
          id: 'run-2',
          tenantId: TENANT,
          mode: 'full',
          status: 'partial',
          types: ['users', 'groups'],
          startedAt: new Date(),
          finishedAt: null,
          reason: null,
        },
        types: [
          typeResult('users', 'succeeded', null),
          typeResult('groups', 'failed', 'Graph kept answering 429 TooManyRequests'),
        ],
      });
      reader.countsAt.mockResolvedValue({ users: { users: 1 } });
      reader.objectsAt.mockImplementation(() => items());
      reader.logsAt.mockImplementation(() => items());
    });

    it('refuses before writing anything, naming the failed types and why', async () => {
      const refused = sut.exportSnapshot({ tenantId: TENANT, snapshot: 'latest', outDir: '/out' });

      await expect(refused).rejects.toMatchObject({
        code: ExportExceptionCode.EXPORT_SNAPSHOT_PARTIAL,
        message: expect.stringContaining('groups (Graph kept answering 429 TooManyRequests)'),
      });
      expect(files.prepareDirectory).not.toHaveBeenCalled();
      expect(staged).toEqual([]);
    });

    it('exports a snapshot whose failed types are not exported', async () => {
      const result = await sut.exportSnapshot({
        tenantId: TENANT,
        snapshot: 'latest',
        outDir: '/out',
        types: ['users'],
      });

      expect(result.missingTypes).toEqual([]);
    });

    it('with allowPartial, exports it and records the missing types in the manifest', async () => {
      const result = await sut.exportSnapshot({
        tenantId: TENANT,
        snapshot: 'latest',
        outDir: '/out',
        allowPartial: true,
      });

      const missing = [
        {
          type: 'groups',
          reason: 'Graph kept answering 429 TooManyRequests',
          graphCode: 'TooManyRequests',
          requestId: 'req-1',
        },
      ];
      expect(result.missingTypes).toEqual(missing);
      const manifest = staged.find((f) => f.finalName === 'manifest.json')!;
      expect(manifest.state).toBe('published');
      expect(JSON.parse(manifest.lines.join('\n'))).toMatchObject({
        snapshotId: 'snap-2',
        snapshotStatus: 'partial',
        types: ['users', 'groups'],
        missingTypes: missing,
      });
    });

    it('names the missing types of a zip export and in its manifest', async () => {
      const zip = new FakeZip();
      zips.open.mockReturnValue(zip);

      const prepared = await sut.prepareZip({ tenantId: TENANT, snapshot: 'latest' });
      await prepared.writeTo({} as NodeJS.WritableStream);

      expect(prepared.missingTypes.map((m) => m.type)).toEqual(['groups']);
      const manifest = zip.entries.find((f) => f.finalName === 'manifest.json')!;
      expect(JSON.parse(manifest.lines.join('\n'))).toMatchObject({
        missingTypes: [{ type: 'groups', reason: 'Graph kept answering 429 TooManyRequests' }],
      });
    });
  });

  describe('zip', () => {
    it('checks the snapshot before anything is streamed', async () => {
      reader.getSnapshotDetails.mockRejectedValue(new Error('Snapshot nope not found'));

      await expect(sut.prepareZip({ tenantId: TENANT, snapshot: 'nope' })).rejects.toThrow('not found');
      expect(zips.open).not.toHaveBeenCalled();
    });

    it('writes the same files as the directory export, one entry at a time, keys left out', async () => {
      const zip = new FakeZip();
      zips.open.mockReturnValue(zip);
      reader.objectsAt.mockImplementation((_t, _s, type: ObjectTypeKey) =>
        type === 'builtInRoles'
          ? items(
              { collection: 'roleAssignments', id: 'ra1', object: { id: 'ra1' } },
              { collection: 'roleDefinitions', id: 'r1', object: { id: 'r1' } },
            )
          : type === 'bitlockerKeys'
            ? items({ collection: 'recoveryKeys', id: 'k1', object: { id: 'k1', key: '1111' } })
            : items(),
      );
      reader.logsAt.mockImplementation(() => items());

      const prepared = await sut.prepareZip({
        tenantId: TENANT,
        snapshot: '2',
        types: ['builtInRoles', 'bitlockerKeys', 'users'],
      });
      expect(prepared).toMatchObject({ tenantName: 'Contoso', seq: 2, secretsIncluded: false });
      reader.objectsAt.mockClear();
      const out = { fake: 'stream' } as unknown as NodeJS.WritableStream;
      const result = await prepared.writeTo(out);

      expect(zips.open).toHaveBeenCalledWith(out);
      expect(zip.entries.map((f) => [f.finalName, f.lines, f.state])).toEqual([
        ['builtInRoles.roleAssignments.jsonl', ['{"id":"ra1"}'], 'closed'],
        ['builtInRoles.jsonl', ['{"id":"r1"}'], 'closed'],
        ['bitlockerKeys.jsonl', ['{"id":"k1"}'], 'closed'],
        ['users.jsonl', [], 'closed'],
        ['manifest.json', [expect.any(String)], 'closed'],
      ]);
      expect(zip.finished).toBe(true);
      expect(result.secretsStripped).toBe(1);
    });

    it('aborts the zip when reading fails part-way', async () => {
      const zip = new FakeZip();
      zips.open.mockReturnValue(zip);
      reader.objectsAt.mockImplementation(() =>
        failingAfter({ collection: 'users', id: 'u1', object: { id: 'u1' } }),
      );
      reader.logsAt.mockImplementation(() => items());

      const prepared = await sut.prepareZip({ tenantId: TENANT, snapshot: 'latest', types: ['users'] });

      await expect(prepared.writeTo({} as NodeJS.WritableStream)).rejects.toThrow('Blob abc is missing');
      expect(zip.finished).toBe(false);
      expect(zip.aborted).toBeInstanceOf(Error);
    });
  });
});
