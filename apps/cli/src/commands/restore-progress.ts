import type { RestoreProgressEvent } from '@entra-backup/common';
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-io';
import type { PlanProgress } from '../../../api/src/modules/restore/restore.types';

/** Shows a restore's progress on stderr (stdout carries the result). */
export interface RestoreProgressView {
  handle(event: RestoreProgressEvent): void;
  stop(): void;
}

/** A progress bar on a terminal, plain lines otherwise (logs, CI, pipes). */
export function createRestoreProgressView(io: CliIo, now: () => number = Date.now): RestoreProgressView {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  return stream.isTTY === true ? new TerminalRestoreProgress(stream) : new LineRestoreProgress(io, now);
}

const LINE_INTERVAL_MS = 5_000;

/** One line per step when it begins, then at most one every 5 s; a line at the start and end. */
export class LineRestoreProgress implements RestoreProgressView {
  private step: string | undefined;
  private lastLine = 0;

  constructor(
    private readonly io: CliIo,
    private readonly now: () => number,
  ) {}

  handle(event: RestoreProgressEvent): void {
    switch (event.kind) {
      case 'restore-started':
        this.write(`restore ${event.restoreId} started: ${event.planned} actions`);
        break;
      case 'restore-step':
        if (event.step === this.step && this.now() - this.lastLine < LINE_INTERVAL_MS) return;
        this.step = event.step;
        this.lastLine = this.now();
        this.write(`${event.step}: ${event.done} of ${event.planned} done, ${event.failed} failed`);
        break;
      case 'restore-finished':
        this.write(`restore ${event.restoreId} ${event.run.status}`);
        break;
      case 'restore-failed':
        this.write(`restore ${event.restoreId} failed: ${event.reason}`);
        break;
    }
  }

  stop(): void {}

  private write(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
}

class TerminalRestoreProgress implements RestoreProgressView {
  private readonly bar: SingleBar;
  private started = false;

  constructor(stream: NodeJS.WritableStream) {
    this.bar = new SingleBar(
      {
        stream,
        format: '{step} |{bar}| {value}/{total} actions, {failed} failed',
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      Presets.shades_classic,
    );
  }

  handle(event: RestoreProgressEvent): void {
    switch (event.kind) {
      case 'restore-started':
        this.started = true;
        this.bar.start(Math.max(event.planned, 1), 0, { step: 'starting', failed: 0 });
        break;
      case 'restore-step':
        if (!this.started) {
          this.started = true;
          this.bar.start(Math.max(event.planned, 1), 0, { step: event.step, failed: 0 });
        }
        this.bar.update(event.done + event.failed, { step: event.step, failed: event.failed });
        break;
      case 'restore-finished':
      case 'restore-failed':
        this.stop();
        break;
    }
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.bar.stop();
  }
}

/** Computing a plan reads the tenant afresh, which takes a while: one stderr line per step. */
export function planProgressLines(io: CliIo): (progress: PlanProgress) => void {
  let last: string | undefined;
  return ({ step }) => {
    if (step === last) return;
    last = step;
    io.stderr.write(`planning: ${step}\n`);
  };
}
