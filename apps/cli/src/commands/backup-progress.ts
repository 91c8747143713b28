import {
  type BackupProgressEvent,
  type BackupRunSummary,
  collectionLabel,
  OBJECT_TYPE_KEYS,
  type ObjectTypeKey,
} from '@entra-backup/common';
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

/**
 * One line when a type starts and finishes, and at most one per type every 5 s in between. Live
 * figures are what was read from Graph (all collections; an incremental run reads only changes),
 * so they say so; the snapshot's objects per type come when the run ends.
 */
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
        this.write(
          `${event.type}: ${event.read} read from Graph so far, ${event.pages} pages (${event.collection})`,
        );
        break;
      }
      case 'type-finished':
        this.write(
          `${event.type}: ${event.status}, ${event.read} read from Graph${event.reason ? ` (${event.reason})` : ''}`,
        );
        break;
      case 'run-finished':
        this.write(`backup ${event.runId} ${event.summary.status}${snapshotFigures(event.summary)}`);
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

/**
 * Collections a run did not read because the tenant's consent lacks their permissions, one line
 * each with the reason; empty when there are none. Their previous state is kept in the snapshot.
 */
export function renderSkippedCollections(summary: BackupRunSummary): string {
  const lines = OBJECT_TYPE_KEYS.flatMap((key) =>
    (summary.types[key]?.skippedCollections ?? []).map(
      (c) => `  ${key} ${collectionLabel(c.collection)}: ${c.reason}\n`,
    ),
  );
  if (lines.length === 0) return '';
  return `Not captured in this snapshot (their previous state is kept):\n${lines.join('')}`;
}

/** ": users 250 objects, builtInRoles 36 objects (+ 20 role assignments)": the snapshot's figures. */
function snapshotFigures(summary: BackupRunSummary): string {
  const parts = OBJECT_TYPE_KEYS.flatMap((key) => {
    const result = summary.types[key];
    if (result === undefined || result.status !== 'succeeded') return [];
    const related = (result.related ?? [])
      .filter((c) => c.objects > 0)
      .map((c) => `${c.objects} ${collectionLabel(c.collection)}`);
    return [`${key} ${result.objects} objects${related.length > 0 ? ` (+ ${related.join(', ')})` : ''}`];
  });
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
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
        // Read from Graph so far: the snapshot's objects are in the summary printed at the end.
        format: '{type} |{bar}| {count} read {state}',
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
        if (event.read > bar.getTotal()) bar.setTotal(event.read);
        bar.update(event.read, {
          count: event.read,
          state: `${event.pages} pages, ${event.collection}`,
        });
        break;
      }
      case 'type-finished': {
        const bar = this.bars.get(event.type);
        if (bar === undefined) return;
        // A full bar for a finished type, also one that holds no objects.
        bar.setTotal(Math.max(event.read, 1));
        bar.update(Math.max(event.read, 1), { count: event.read, state: event.status });
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
