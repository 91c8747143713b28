import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ExportException } from './export.exception';

/** Lines are collected up to this many bytes before one write: few syscalls, bounded memory. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * A file being exported: written under a hidden temporary name, made durable (fsync) and only
 * then renamed to its final name, so a reader never sees half an export file.
 */
export interface StagedExportFile {
  readonly finalName: string;
  /** Bytes written so far. */
  readonly bytes: number;
  writeLine(line: string): Promise<void>;
  /** Flushes and syncs the data; the file keeps its temporary name until `publish()`. */
  close(): Promise<void>;
  /** Renames the closed file to its final name (replacing a file of that name). */
  publish(): Promise<void>;
  /** Deletes the temporary file; safe to call at any point, also twice. */
  discard(): Promise<void>;
}

/** The filesystem side of exports, behind a class we own so the export service is unit-tested with a double. */
@Injectable()
export class ExportFiles {
  /** Creates the directory (and parents) when missing; fails when the path is not a directory. */
  async prepareDirectory(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await stat(dir);
      if (!info.isDirectory()) throw ExportException.targetInvalid(dir, 'not a directory');
    } catch (error) {
      if (error instanceof ExportException) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw ExportException.targetInvalid(
        dir,
        code === 'EEXIST' || code === 'ENOTDIR' ? 'not a directory' : errorText(error),
      );
    }
  }

  /** Names of the entries in a directory. */
  list(dir: string): Promise<string[]> {
    return readdir(dir);
  }

  /** Starts a file that becomes `<dir>/<finalName>` on `publish()`; readable by the owner only. */
  async stage(dir: string, finalName: string): Promise<StagedExportFile> {
    const tempPath = join(dir, `.${finalName}.${randomBytes(6).toString('hex')}.partial`);
    const handle = await open(tempPath, 'wx', 0o600);
    return new TempExportFile(handle, tempPath, join(dir, finalName), finalName);
  }

  async remove(dir: string, name: string): Promise<void> {
    await rm(join(dir, name), { force: true });
  }

  /** Makes renames in the directory durable (best effort where the platform cannot sync directories). */
  async syncDirectory(dir: string): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch {
      // Some platforms (Windows) cannot open or fsync a directory; the renames still happened.
    } finally {
      await handle?.close();
    }
  }
}

class TempExportFile implements StagedExportFile {
  private chunks: string[] = [];
  private buffered = 0;
  private written = 0;
  private state: 'open' | 'closed' | 'published' | 'discarded' = 'open';

  constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    private readonly finalPath: string,
    readonly finalName: string,
  ) {}

  get bytes(): number {
    return this.written + this.buffered;
  }

  async writeLine(line: string): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.finalName} is no longer open for writing`);
    const text = `${line}\n`;
    this.chunks.push(text);
    this.buffered += Buffer.byteLength(text);
    if (this.buffered >= WRITE_BUFFER_BYTES) await this.flush();
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    this.state = 'closed';
  }

  async publish(): Promise<void> {
    if (this.state === 'open') await this.close();
    if (this.state !== 'closed') throw new Error(`${this.finalName} cannot be published (${this.state})`);
    await rename(this.tempPath, this.finalPath);
    this.state = 'published';
  }

  async discard(): Promise<void> {
    if (this.state === 'published' || this.state === 'discarded') return;
    if (this.state === 'open') await this.handle.close().catch(() => undefined);
    this.state = 'discarded';
    await rm(this.tempPath, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const data = Buffer.from(this.chunks.join(''));
    this.chunks = [];
    this.buffered = 0;
    // write() may accept less than the whole buffer; loop until every byte is in the file.
    for (let offset = 0; offset < data.length;) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    this.written += data.length;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
