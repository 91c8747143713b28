/** Where the CLI writes (and reads answers). The real process streams in `main.ts`; captured buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /**
   * Where confirmations are read from. Absent (tests, embedding) or not a terminal means nobody
   * can answer: commands that would ask need `--yes` then.
   */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** Whether someone at a terminal can answer a question. */
export function canAsk(io: CliIo): boolean {
  return io.stdin?.isTTY === true;
}

/**
 * Writes to stdout and, when its buffer is full (a slow pipe), waits until it drains, so a long
 * stream of lines (a 100,000-action plan) is not piled up in memory.
 */
export async function writeOut(io: CliIo, text: string): Promise<void> {
  if (io.stdout.write(text) !== false) return;
  const stream = io.stdout as Partial<Pick<NodeJS.WritableStream, 'once' | 'off'>>;
  if (typeof stream.once !== 'function' || typeof stream.off !== 'function') return;
  const { once, off } = { once: stream.once.bind(stream), off: stream.off.bind(stream) };
  await new Promise<void>((resolve) => {
    const done = () => {
      off('drain', done);
      off('close', done);
      off('error', done);
      resolve();
    };
    once('drain', done);
    once('close', done);
    once('error', done);
  });
}
