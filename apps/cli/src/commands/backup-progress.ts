import type { BackupProgressEvent, ObjectTypeKey } from '@entra-backup/common';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io';

/** Shows a run's progress on stderr (stdout carries the result). */
export interface BackupProgressView {
  handle(event: BackupProgressEvent): void;
  stop(): void;
}

/**
 * A progress bar per type on a terminal, plain lines otherwise (logs, CI, pipes). `estimates`
 * are the objects each type held in the previous snapshot: the bars' initial length.
 */
export function createProgressView(
  io: CliIo,
  estimates: Partial<Record<ObjectTypeKey, number>>,
  now: () => number = Date.now,
): BackupProgressView {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  return stream.isTTY === true ? new TerminalProgress(stream, estimates) : new LineProgress(io, now);
}

const LINE_INTERVAL_MS = 5_000;

/** One line when a type starts and finishes, and at most one per type every 5 s in between. */
export class LineProgress implements BackupProgressView {
  private readonly lastLine = new Map<ObjectTypeKey, number>();

  constructor(
    private readonly io: CliIo,
    private readonly now: () => number,
  ) {}

  handle(event: BackupProgressEvent): void {
    switch (event.kind) {
      case 'run-started':
        this.write(`backup ${event.runId} (${event.mode}) started: ${event.types.join(', ')}`);
        break;
      case 'type-started':
        this.lastLine.set(event.type, this.now());
        this.write(`${event.type}: started`);
        break;
      case 'type-progress': {
        const last = this.lastLine.get(event.type) ?? 0;
        if (this.now() - last < LINE_INTERVAL_MS) return;
        this.lastLine.set(event.type, this.now());
        this.write(`${event.type}: ${event.objects} objects, ${event.pages} pages (${event.collection})`);
        break;
      }
      case 'type-finished':
        this.write(
          `${event.type}: ${event.status}, ${event.objects} objects${event.reason ? ` (${event.reason})` : ''}`,
        );
        break;
      case 'run-finished':
        this.write(`backup ${event.runId} ${event.summary.status}`);
        break;
      case 'run-failed':
        this.write(`backup ${event.runId} failed: ${event.reason}`);
        break;
    }
  }

  stop(): void {}

  private write(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}

class TerminalProgress implements BackupProgressView {
  private readonly multibar: MultiBar;
  private readonly bars = new Map<ObjectTypeKey, SingleBar>();

  constructor(
    stream: NodeJS.WritableStream,
    private readonly estimates: Partial<Record<ObjectTypeKey, number>>,
  ) {
    this.multibar = new MultiBar(
      {
        stream,
        format: '{type} |{bar}| {count} objects {state}',
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        fps: 5,
      },
      Presets.shades_classic,
    );
  }

  handle(event: BackupProgressEvent): void {
    switch (event.kind) {
      case 'run-started': {
        const width = Math.max(...event.types.map((t) => t.length));
        for (const type of event.types) {
          this.bars.set(
            type,
            this.multibar.create(this.estimates[type] ?? 0, 0, {
              type: type.padEnd(width),
              count: 0,
              state: 'waiting',
            }),
          );
        }
        break;
      }
      case 'type-started':
        this.bars.get(event.type)?.update({ state: 'reading' });
        break;
      case 'type-progress': {
        const bar = this.bars.get(event.type);
        if (bar === undefined) return;
        if (event.objects > bar.getTotal()) bar.setTotal(event.objects);
        bar.update(event.objects, {
          count: event.objects,
          state: `${event.pages} pages, ${event.collection}`,
        });
        break;
      }
      case 'type-finished': {
        const bar = this.bars.get(event.type);
        if (bar === undefined) return;
        // A full bar for a finished type, also one that holds no objects.
        bar.setTotal(Math.max(event.objects, 1));
        bar.update(Math.max(event.objects, 1), { count: event.objects, state: event.status });
        break;
      }
      case 'run-finished':
      case 'run-failed':
        this.stop();
        break;
    }
  }

  stop(): void {
    this.multibar.stop();
  }
}
