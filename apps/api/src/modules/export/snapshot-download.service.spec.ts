import { strictDouble } from '../../../test/support/doubles';
import type { AuditService } from '../audit/audit.service';
import { AuditAction } from '../audit/audit-action';
import type { ExportService, PreparedZipExport } from './export.service';
import {
  attachmentDisposition,
  downloadFileName,
  SnapshotDownloadService,
} from './snapshot-download.service';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function prepared(overrides: Partial<PreparedZipExport> = {}): PreparedZipExport {
  return {
    tenantId: TENANT,
    tenantName: 'Contoso Ltd.',
    snapshotId: 'snap-12',
    seq: 12,
    snapshotCreatedAt: new Date('2026-12-07T08:00:00Z'),
    types: ['users', 'bitlockerKeys'],
    secretsIncluded: false,
    missingTypes: [],
    writeTo: jest.fn(),
    ...overrides,
  };
}

describe(SnapshotDownloadService.name, () => {
  let exports: jest.Mocked<ExportService>;
  let audit: jest.Mocked<AuditService>;
  let sut: SnapshotDownloadService;

  beforeEach(() => {
    exports = strictDouble<ExportService>('ExportService');
    audit = strictDouble<AuditService>('AuditService');
    sut = new SnapshotDownloadService(exports, audit);
  });

  it('names the file after the tenant, the snapshot number and its day, and audits the download alone without keys', async () => {
    exports.prepareZip.mockResolvedValue(prepared());
    audit.record.mockResolvedValue({} as Awaited<ReturnType<AuditService['record']>>);

    const download = await sut.prepare(TENANT, 'latest', { bitlockerKeys: false }, 'user:ada@contoso.test');

    expect(download.fileName).toBe('entra-backup-contoso-ltd-snapshot-12-2026-12-07.zip');
    expect(exports.prepareZip).toHaveBeenCalledWith({
      tenantId: TENANT,
      snapshot: 'latest',
      includeSecrets: false,
    });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith({
      actor: 'user:ada@contoso.test',
      action: AuditAction.EXPORT_DOWNLOADED,
      tenantId: TENANT,
      details: {
        kind: 'snapshot-zip',
        snapshotId: 'snap-12',
        seq: 12,
        types: ['users', 'bitlockerKeys'],
        secretsIncluded: false,
      },
    });
  });

  it('records a download with BitLocker keys before any byte is sent', async () => {
    exports.prepareZip.mockResolvedValue(prepared({ secretsIncluded: true }));
    audit.record.mockResolvedValue({} as Awaited<ReturnType<AuditService['record']>>);

    await sut.prepare(
      TENANT,
      '12',
      { types: ['bitlockerKeys'], bitlockerKeys: true },
      'user:ada@contoso.test',
    );

    expect(exports.prepareZip).toHaveBeenCalledWith({
      tenantId: TENANT,
      snapshot: '12',
      types: ['bitlockerKeys'],
      includeSecrets: true,
    });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.EXPORT_DOWNLOADED }),
    );
    expect(audit.record).toHaveBeenCalledWith({
      actor: 'user:ada@contoso.test',
      action: AuditAction.SNAPSHOT_EXPORTED_WITH_SECRETS,
      tenantId: TENANT,
      details: { snapshotId: 'snap-12', seq: 12, types: ['users', 'bitlockerKeys'] },
    });
  });

  it('logs a failure while streaming instead of throwing (the answer has begun)', async () => {
    const failing = prepared({ writeTo: jest.fn().mockRejectedValue(new Error('Blob abc is missing')) });

    await expect(
      sut.stream({ fileName: 'x.zip', export: failing }, {} as NodeJS.WritableStream),
    ).resolves.toBe(undefined);
  });

  it('falls back to the tenant id for a name with no letters or digits, and quotes safely', () => {
    expect(downloadFileName({ ...prepared(), tenantName: '—' })).toBe(
      `entra-backup-${TENANT}-snapshot-12-2026-12-07.zip`,
    );
    expect(downloadFileName({ ...prepared(), tenantName: 'Müller & Söhne' })).toBe(
      'entra-backup-muller-sohne-snapshot-12-2026-12-07.zip',
    );
    expect(attachmentDisposition('entra-backup-ü.zip')).toBe(
      `attachment; filename="entra-backup-_.zip"; filename*=UTF-8''entra-backup-%C3%BC.zip`,
    );
  });
});
