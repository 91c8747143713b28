import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { Injectable } from '@nestjs/common';
import archiver from 'archiver';
import type { ExportSink, ExportSinkFile } from './export-sink';

/** Lines are collected up to this many bytes before they go to the zip: few chunks, bounded memory. */
const CHUNK_BYTES = 64 * 1024;

/** An export streamed as a zip: one entry per export file, written one after another. */
export interface ZipExportSink extends ExportSink {
  /** Writes the zip's central directory and waits until the output has taken every byte. */
  finish(): Promise<void>;
  /** Stops the zip and breaks the output, so a failed export never looks complete. */
  abort(reason: unknown): void;
}

/** The zip side of exports (archiver), behind a class we own so the export service is unit-tested with a double. */
@Injectable()
export class ExportZips {
  open(out: NodeJS.WritableStream): ZipExportSink {
    return new ArchiverZipSink(out);
  }
}

class ArchiverZipSink implements ZipExportSink {
  private readonly archive = archiver('zip', { zlib: { level: 6 } });
  private failure: Error | null = null;
  private readonly failed: Promise<never>;
  private finished = false;

  constructor(private readonly out: NodeJS.WritableStream) {
    let reject!: (error: Error) => void;
    this.failed = new Promise<never>((_, r) => (reject = r));
    // Awaited only in races; an unobserved rejection must not crash the process.
    this.failed.catch(() => undefined);
    const fail = (error: Error) => {
      if (this.failure !== null) return;
      this.failure = error;
      reject(error);
    };
    this.archive.on('error', fail);
    this.archive.on('warning', fail);
    // The receiver went away (a cancelled download): stop reading the snapshot.
    out.on('close', () => {
      if (!this.finished) fail(new Error('The download was closed before the export was complete'));
    });
    out.on('error', fail);
    this.archive.pipe(out);
  }

  async open(name: string): Promise<ExportSinkFile> {
    this.throwIfFailed();
    const entry = new PassThrough({ highWaterMark: CHUNK_BYTES });
    this.archive.append(entry, { name, date: new Date() });
    return new ZipEntry(
      entry,
      name,
      () => this.throwIfFailed(),
      () => this.whenWritable(entry),
    );
  }

  async finish(): Promise<void> {
    this.throwIfFailed();
    const flushed = once(this.out as unknown as NodeJS.EventEmitter, 'finish');
    await Promise.race([this.archive.finalize(), this.failed]);
    await Promise.race([flushed, this.failed]);
    this.finished = true;
  }

  abort(reason: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.archive.abort();
    const error = reason instanceof Error ? reason : new Error(String(reason));
    const destroyable = this.out as NodeJS.WritableStream & { destroy?: (error?: Error) => void };
    destroyable.destroy?.(error);
  }

  private async whenWritable(entry: PassThrough): Promise<void> {
    this.throwIfFailed();
    await Promise.race([once(entry, 'drain'), this.failed]);
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

class ZipEntry implements ExportSinkFile {
  private chunks: string[] = [];
  private buffered = 0;
  private written = 0;

  constructor(
    private readonly stream: PassThrough,
    readonly name: string,
    private readonly check: () => void,
    private readonly drained: () => Promise<void>,
  ) {}

  get bytes(): number {
    return this.written + this.buffered;
  }

  async writeLine(line: string): Promise<void> {
    const text = `${line}\n`;
    this.chunks.push(text);
    this.buffered += Buffer.byteLength(text);
    if (this.buffered >= CHUNK_BYTES) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
  }

  private async flush(): Promise<void> {
    // A cancelled download stops the export at the next chunk.
    this.check();
    if (this.buffered === 0) return;
    const data = Buffer.from(this.chunks.join(''));
    this.chunks = [];
    this.buffered = 0;
    this.written += data.length;
    // Backpressure: wait until the zip (and so the receiver) has taken what it was given.
    if (!this.stream.write(data)) await this.drained();
  }
}
