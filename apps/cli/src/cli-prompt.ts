import { createInterface } from 'node:readline';
import type { CliIo } from './cli-io';

/**
 * Asks a yes/no question on stderr (stdout carries results) and reads one line from stdin.
 * Only `y` or `yes` (any case) is a yes; an empty line, anything else or the end of input is a no.
 */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  const input = io.stdin;
  if (input === undefined) return false;
  io.stderr.write(`${question} `);
  const lines = createInterface({ input, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(undefined));
    });
    if (answer === undefined) io.stderr.write('\n');
    return /^\s*y(es)?\s*$/i.test(answer ?? '');
  } finally {
    lines.close();
  }
}
