import { Injectable, Logger } from '@nestjs/common';
import type { ObjectTypeKey } from '@entra-backup/common';
import { AuditService } from '../audit/audit.service';
import { AuditAction } from '../audit/audit-action';
import type { AuditedBy } from '../audit/audit-context';
import { ExportService, type PreparedZipExport } from './export.service';

export interface SnapshotDownloadRequest {
  readonly types?: readonly ObjectTypeKey[];
  /** BitLocker recovery keys (the export's secrets) in the zip: an audited request. */
  readonly bitlockerKeys: boolean;
}

/** A checked download: its file name, and the export that streams its bytes. */
export interface SnapshotDownload {
  readonly fileName: string;
  readonly export: PreparedZipExport;
}

/**
 * A snapshot as a zip download for the portal: the export format of the command line's
 * `export`, streamed. Everything that can refuse the request (tenant, snapshot, types) is
 * checked before the first byte, so a bad request gets its 4xx answer instead of a broken zip.
 */
@Injectable()
export class SnapshotDownloadService {
  private readonly logger = new Logger(SnapshotDownloadService.name);

  constructor(
    private readonly exports: ExportService,
    private readonly audit: AuditService,
  ) {}

  /** @throws TenantException / BackupStorageException for an unknown tenant or snapshot */
  async prepare(
    tenantId: string,
    snapshot: string,
    request: SnapshotDownloadRequest,
    actor: AuditedBy,
  ): Promise<SnapshotDownload> {
    const prepared = await this.exports.prepareZip({
      tenantId,
      snapshot,
      ...(request.types === undefined ? {} : { types: request.types }),
      includeSecrets: request.bitlockerKeys,
    });
    // Recorded before the first byte: once streaming starts the data (and keys) may be out, even
    // if the download is cancelled later.
    const details = { snapshotId: prepared.snapshotId, seq: prepared.seq, types: prepared.types };
    await this.audit.record({
      actor,
      action: AuditAction.EXPORT_DOWNLOADED,
      tenantId: prepared.tenantId,
      details: { kind: 'snapshot-zip', ...details, secretsIncluded: prepared.secretsIncluded },
    });
    if (prepared.secretsIncluded) {
      await this.audit.record({
        actor,
        action: AuditAction.SNAPSHOT_EXPORTED_WITH_SECRETS,
        tenantId: prepared.tenantId,
        details,
      });
    }
    return { fileName: downloadFileName(prepared), export: prepared };
  }

  /**
   * Streams the zip into the response. Never throws: once bytes are out the status cannot change,
   * so a failure is logged and the connection broken (the zip is then visibly incomplete).
   */
  async stream(download: SnapshotDownload, out: NodeJS.WritableStream): Promise<void> {
    try {
      await download.export.writeTo(out);
    } catch (error) {
      this.logger.warn(
        `Export of snapshot ${download.export.snapshotId} stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** `entra-backup-contoso-snapshot-12-2026-12-07.zip`. */
export function downloadFileName(prepared: {
  readonly tenantName: string;
  readonly tenantId: string;
  readonly seq: number;
  readonly snapshotCreatedAt: Date;
}): string {
  const slug =
    prepared.tenantName
      .toLowerCase()
      .normalize('NFKD')
      // Accents go (Müller → muller), anything else that is not a letter or digit becomes a dash.
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || prepared.tenantId;
  const day = prepared.snapshotCreatedAt.toISOString().slice(0, 10);
  return `entra-backup-${slug}-snapshot-${prepared.seq}-${day}.zip`;
}

/** A Content-Disposition header value for an attachment (ASCII name plus RFC 6266 `filename*`). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
