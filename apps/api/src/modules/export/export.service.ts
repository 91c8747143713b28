import { Injectable } from '@nestjs/common';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import { BackupReaderService, type SnapshotObject } from '../backup-storage/backup-reader.service';
import { TenantsService } from '../tenants/tenants.service';
import { ExportFiles, type StagedExportFile } from './export-files';
import { ExportException } from './export.exception';
import { exportFileName, exportFileType, type TypeExportLayout } from './export-layout';
import { ExportLayouts } from './export-layouts';

export interface ExportRequest {
  readonly tenantId: string;
  /** A visible snapshot id, or `latest`. */
  readonly snapshot: string;
  readonly outDir: string;
  /** Default: every type the snapshot holds data for or whose run covered it. */
  readonly types?: readonly ObjectTypeKey[];
  /** Keep secret properties (BitLocker recovery keys); stripped by default. */
  readonly includeSecrets?: boolean;
  /** Replace export files already in `outDir` instead of refusing. */
  readonly force?: boolean;
  /** Called after each type's files are written (before they are published). */
  readonly onType?: (type: ObjectTypeKey, files: readonly ExportedFile[]) => void;
}

export interface ExportedFile {
  readonly type: ObjectTypeKey;
  readonly collection: string;
  /** File name inside the output directory. */
  readonly file: string;
  readonly primary: boolean;
  readonly objects: number;
  readonly bytes: number;
}

export interface ExportResult {
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly seq: number;
  readonly snapshotCreatedAt: Date;
  readonly outDir: string;
  readonly types: ObjectTypeKey[];
  readonly files: ExportedFile[];
  readonly secretsIncluded: boolean;
  /** Secret property values left out (0 with `includeSecrets`). */
  readonly secretsStripped: number;
  /** Export files of the exported types that an earlier export left and this one replaced or removed (`force`). */
  readonly replaced: string[];
}

/**
 * Writes a snapshot as JSON lines, one file per stored collection, each object exactly as it was
 * stored (as Graph returned it, relationships embedded by the exporters). Objects are streamed
 * from storage page by page, so memory stays flat whatever the tenant size. Every file is written
 * under a temporary name and renamed only once every file of the export is complete, so a failed
 * export leaves nothing behind that looks like a finished one.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly reader: BackupReaderService,
    private readonly files: ExportFiles,
    private readonly layouts: ExportLayouts,
  ) {}

  async exportSnapshot(request: ExportRequest): Promise<ExportResult> {
    const tenantId = (await this.tenants.get(request.tenantId)).tenantId;
    const details = await this.reader.getSnapshotDetails(tenantId, request.snapshot);
    const { snapshot } = details;
    const types = request.types ?? (await this.typesOf(tenantId, snapshot.id, details.run.types));
    const includeSecrets = request.includeSecrets === true;

    await this.files.prepareDirectory(request.outDir);
    const existing = (await this.files.list(request.outDir)).filter((name) => exportFileType(name) !== null);
    if (existing.length > 0 && request.force !== true) {
      throw ExportException.targetNotEmpty(request.outDir, existing.sort());
    }

    const staged: StagedExportFile[] = [];
    const written: ExportedFile[] = [];
    let secretsStripped = 0;
    try {
      for (const type of types) {
        const layout = this.layouts.of(type);
        const typeFiles = new Map<string, { file: StagedExportFile; objects: number }>();
        const fileFor = async (collection: string) => {
          let entry = typeFiles.get(collection);
          if (entry === undefined) {
            const file = await this.files.stage(request.outDir, exportFileName(type, collection, layout));
            staged.push(file);
            entry = { file, objects: 0 };
            typeFiles.set(collection, entry);
          }
          return entry;
        };
        // The primary file exists even when the type holds no objects: "none" is an answer too.
        await fileFor(layout.primaryCollection);
        for (const source of [
          this.reader.objectsAt(tenantId, snapshot.id, type),
          this.reader.logsAt(tenantId, snapshot.id, type),
        ]) {
          for await (const item of source) {
            const entry = await fileFor(item.collection);
            const { object, stripped } = includeSecrets
              ? { object: item.object, stripped: 0 }
              : strip(item, layout);
            secretsStripped += stripped;
            await entry.file.writeLine(JSON.stringify(object));
            entry.objects += 1;
          }
        }
        const typeResult: ExportedFile[] = [];
        for (const [collection, { file, objects }] of typeFiles) {
          await file.close();
          typeResult.push({
            type,
            collection,
            file: file.finalName,
            primary: collection === layout.primaryCollection,
            objects,
            bytes: file.bytes,
          });
        }
        written.push(...typeResult);
        request.onType?.(type, typeResult);
      }
      for (const file of staged) await file.publish();
    } catch (error) {
      for (const file of staged) await file.discard();
      throw error;
    }

    // With `force`, files of the exported types that this snapshot no longer has are stale: remove
    // them so the directory holds one consistent point in time for those types.
    const writtenNames = new Set(written.map((f) => f.file));
    const replaced: string[] = [];
    for (const name of existing) {
      const type = exportFileType(name);
      if (type === null || !types.includes(type)) continue;
      replaced.push(name);
      if (!writtenNames.has(name)) await this.files.remove(request.outDir, name);
    }
    await this.files.syncDirectory(request.outDir);

    return {
      tenantId,
      snapshotId: snapshot.id,
      seq: snapshot.seq,
      snapshotCreatedAt: snapshot.createdAt,
      outDir: request.outDir,
      types: [...types],
      files: written,
      secretsIncluded: includeSecrets,
      secretsStripped,
      replaced: replaced.sort(),
    };
  }

  /** Types with data in the snapshot's view, plus the types its run covered, in key order. */
  private async typesOf(
    tenantId: string,
    snapshotId: string,
    runTypes: readonly string[],
  ): Promise<ObjectTypeKey[]> {
    const counts = await this.reader.countsAt(tenantId, snapshotId);
    const present = new Set<string>([...Object.keys(counts), ...runTypes]);
    return OBJECT_TYPE_KEYS.filter((key) => present.has(key));
  }
}

function strip(item: SnapshotObject, layout: TypeExportLayout): { object: unknown; stripped: number } {
  const secret = layout.secretProperties[item.collection];
  if (secret === undefined || secret.length === 0) return { object: item.object, stripped: 0 };
  if (typeof item.object !== 'object' || item.object === null) return { object: item.object, stripped: 0 };
  const copy: Record<string, unknown> = { ...(item.object as Record<string, unknown>) };
  let stripped = 0;
  for (const name of secret) {
    if (name in copy) {
      delete copy[name];
      stripped += 1;
    }
  }
  return { object: copy, stripped };
}
