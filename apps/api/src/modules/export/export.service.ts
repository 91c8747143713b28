import { Injectable } from '@nestjs/common';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import {
  BackupReaderService,
  type SnapshotDetails,
  type SnapshotObject,
} from '../backup-storage/backup-reader.service';
import { TenantsService } from '../tenants/tenants.service';
import { ExportFiles, type StagedExportFile } from './export-files';
import { ExportException } from './export.exception';
import type { ExportSink, ExportSinkFile } from './export-sink';
import { ExportZips } from './export-zip';
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
  /**
   * Export a partial snapshot (some exported types failed in its run) anyway; without it such an
   * export is refused before anything is written. Either way the manifest names the missing types.
   */
  readonly allowPartial?: boolean;
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

/**
 * A type the snapshot's run did not read: its files hold what the previous snapshot held (nothing
 * when there was none), not the tenant as of this snapshot.
 */
export interface MissingExportType {
  readonly type: ObjectTypeKey;
  /** Why the run did not read it, as the run recorded it. */
  readonly reason: string;
  readonly graphCode: string | null;
  readonly requestId: string | null;
}

/** `manifest.json` of an export: what was exported from which snapshot, and what is missing. */
export interface ExportManifest {
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly seq: number;
  readonly snapshotCreatedAt: string;
  /** `complete`, or `partial` when some types of the snapshot's run failed. */
  readonly snapshotStatus: string;
  readonly types: ObjectTypeKey[];
  readonly files: ExportedFile[];
  readonly secretsIncluded: boolean;
  /** Exported types the snapshot's run failed to read (empty for a complete export). */
  readonly missingTypes: MissingExportType[];
}

/** File name of the export manifest, beside the JSON-lines files. */
export const EXPORT_MANIFEST_FILE = 'manifest.json';

export interface ZipExportRequest {
  readonly tenantId: string;
  /** A snapshot id, sequence number (`12`, `#12`) or `latest`. */
  readonly snapshot: string;
  /** Default: every type the snapshot holds data for or whose run covered it. */
  readonly types?: readonly ObjectTypeKey[];
  /** Keep secret properties (BitLocker recovery keys); stripped by default. */
  readonly includeSecrets?: boolean;
}

/** A checked zip export, ready to stream. */
export interface PreparedZipExport {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly snapshotId: string;
  readonly seq: number;
  readonly snapshotCreatedAt: Date;
  readonly types: ObjectTypeKey[];
  readonly secretsIncluded: boolean;
  /** Exported types the snapshot's run failed to read; the zip's manifest lists them too. */
  readonly missingTypes: MissingExportType[];
  /**
   * Streams the zip into `out` and ends it. On failure the zip is aborted (the receiver sees a
   * broken download, never a complete-looking one) and the error is thrown.
   */
  writeTo(out: NodeJS.WritableStream): Promise<{ files: ExportedFile[]; secretsStripped: number }>;
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
  /** Exported types the snapshot's run failed to read (only with `allowPartial`); see the manifest. */
  readonly missingTypes: MissingExportType[];
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
    private readonly zips: ExportZips,
  ) {}

  async exportSnapshot(request: ExportRequest): Promise<ExportResult> {
    const tenantId = (await this.tenants.get(request.tenantId)).tenantId;
    const details = await this.reader.getSnapshotDetails(tenantId, request.snapshot);
    const { snapshot } = details;
    const types = request.types ?? (await this.typesOf(tenantId, snapshot.id, details.run.types));
    const includeSecrets = request.includeSecrets === true;
    const missingTypes = missingTypesOf(details, types);
    if (missingTypes.length > 0 && request.allowPartial !== true) {
      throw ExportException.snapshotPartial(snapshot.seq, missingTypes);
    }

    await this.files.prepareDirectory(request.outDir);
    const existing = (await this.files.list(request.outDir)).filter(
      (name) => exportFileType(name) !== null || name === EXPORT_MANIFEST_FILE,
    );
    if (existing.length > 0 && request.force !== true) {
      throw ExportException.targetNotEmpty(request.outDir, existing.sort());
    }

    const staged: StagedExportFile[] = [];
    let written: ExportedFile[];
    let secretsStripped: number;
    try {
      ({ files: written, secretsStripped } = await this.writeTypes(
        tenantId,
        snapshot.id,
        types,
        includeSecrets,
        {
          open: async (name) => {
            const file = await this.files.stage(request.outDir, name);
            staged.push(file);
            return file;
          },
        },
        request.onType,
      ));
      await writeManifest(
        await this.openStaged(request.outDir, staged),
        manifestOf(details, types, written, includeSecrets, missingTypes),
      );
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
      missingTypes,
    };
  }

  private async openStaged(outDir: string, staged: StagedExportFile[]): Promise<ExportSinkFile> {
    const file = await this.files.stage(outDir, EXPORT_MANIFEST_FILE);
    staged.push(file);
    return file;
  }

  /**
   * Checks the tenant, snapshot and types of a zip export, so a bad request fails before any
   * byte is sent; the returned export streams the same files as a directory export into a zip.
   */
  async prepareZip(request: ZipExportRequest): Promise<PreparedZipExport> {
    const tenant = await this.tenants.get(request.tenantId);
    const details = await this.reader.getSnapshotDetails(tenant.tenantId, request.snapshot);
    const { snapshot } = details;
    const types = request.types ?? (await this.typesOf(tenant.tenantId, snapshot.id, details.run.types));
    const includeSecrets = request.includeSecrets === true;
    const missingTypes = missingTypesOf(details, types);
    return {
      tenantId: tenant.tenantId,
      tenantName: tenant.displayName,
      snapshotId: snapshot.id,
      seq: snapshot.seq,
      snapshotCreatedAt: snapshot.createdAt,
      types: [...types],
      secretsIncluded: includeSecrets,
      missingTypes,
      writeTo: async (out) => {
        const zip = this.zips.open(out);
        try {
          const { files, secretsStripped } = await this.writeTypes(
            tenant.tenantId,
            snapshot.id,
            types,
            includeSecrets,
            zip,
          );
          await writeManifest(
            await zip.open(EXPORT_MANIFEST_FILE),
            manifestOf(details, types, files, includeSecrets, missingTypes),
          );
          await zip.finish();
          return { files, secretsStripped };
        } catch (error) {
          zip.abort(error);
          throw error;
        }
      },
    };
  }

  /**
   * The one writer of the export format, whatever the destination: per type, each stored
   * collection in its own JSON-lines file, one file at a time (the reader yields a type's objects
   * in collection order), secrets stripped unless asked for.
   */
  private async writeTypes(
    tenantId: string,
    snapshotId: string,
    types: readonly ObjectTypeKey[],
    includeSecrets: boolean,
    sink: ExportSink,
    onType?: (type: ObjectTypeKey, files: readonly ExportedFile[]) => void,
  ): Promise<{ files: ExportedFile[]; secretsStripped: number }> {
    const written: ExportedFile[] = [];
    let secretsStripped = 0;
    for (const type of types) {
      const layout = this.layouts.of(type);
      const typeFiles: ExportedFile[] = [];
      let current: { collection: string; file: ExportSinkFile; objects: number } | undefined;
      const done = new Set<string>();
      const closeCurrent = async () => {
        if (current === undefined) return;
        await current.file.close();
        done.add(current.collection);
        typeFiles.push({
          type,
          collection: current.collection,
          file: exportFileName(type, current.collection, layout),
          primary: current.collection === layout.primaryCollection,
          objects: current.objects,
          bytes: current.file.bytes,
        });
        current = undefined;
      };
      for (const source of [
        this.reader.objectsAt(tenantId, snapshotId, type),
        this.reader.logsAt(tenantId, snapshotId, type),
      ]) {
        for await (const item of source) {
          if (current?.collection !== item.collection) {
            await closeCurrent();
            if (done.has(item.collection))
              throw new Error(`${type}/${item.collection} was read out of collection order`);
            const name = exportFileName(type, item.collection, layout);
            current = { collection: item.collection, file: await sink.open(name), objects: 0 };
          }
          const { object, stripped } = includeSecrets
            ? { object: item.object, stripped: 0 }
            : strip(item, layout);
          secretsStripped += stripped;
          await current.file.writeLine(JSON.stringify(object));
          current.objects += 1;
        }
      }
      await closeCurrent();
      // The primary file exists even when the type holds no objects: "none" is an answer too.
      if (!done.has(layout.primaryCollection)) {
        const file = await sink.open(exportFileName(type, layout.primaryCollection, layout));
        await file.close();
        typeFiles.push({
          type,
          collection: layout.primaryCollection,
          file: exportFileName(type, layout.primaryCollection, layout),
          primary: true,
          objects: 0,
          bytes: 0,
        });
      }
      // Primary file first, then the others as read.
      typeFiles.sort((a, b) => Number(b.primary) - Number(a.primary));
      written.push(...typeFiles);
      onType?.(type, typeFiles);
    }
    return { files: written, secretsStripped };
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

/** The exported types that the snapshot's run failed to read, with the reason it recorded. */
function missingTypesOf(details: SnapshotDetails, types: readonly ObjectTypeKey[]): MissingExportType[] {
  const failed = new Map(details.types.filter((t) => t.status === 'failed').map((t) => [t.typeKey, t]));
  return types.flatMap((type) => {
    const result = failed.get(type);
    if (result === undefined) return [];
    return [
      {
        type,
        reason: result.reason ?? 'the backup run did not finish this type',
        graphCode: result.graphCode,
        requestId: result.requestId,
      },
    ];
  });
}

function manifestOf(
  details: SnapshotDetails,
  types: readonly ObjectTypeKey[],
  files: readonly ExportedFile[],
  secretsIncluded: boolean,
  missingTypes: MissingExportType[],
): ExportManifest {
  return {
    tenantId: details.snapshot.tenantId,
    snapshotId: details.snapshot.id,
    seq: details.snapshot.seq,
    snapshotCreatedAt: details.snapshot.createdAt.toISOString(),
    snapshotStatus: details.snapshot.status,
    types: [...types],
    files: [...files],
    secretsIncluded,
    missingTypes,
  };
}

async function writeManifest(file: ExportSinkFile, manifest: ExportManifest): Promise<void> {
  await file.writeLine(JSON.stringify(manifest, null, 2));
  await file.close();
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
