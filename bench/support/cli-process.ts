import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const MB = 1024 * 1024;
const PROBE = join(__dirname, 'memory-probe.cjs');

/** One CLI command's outcome. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** The signal that ended the process (e.g. SIGABRT when V8 reaches its heap limit). */
  readonly signal?: string;
  /** Peak RSS of the process that ran the command (the child's VmHWM, or this process's samples). */
  readonly peakRssMb: number;
  /** The child's memory split at its highest sampled RSS (MB): where the peak goes. */
  readonly atPeakMb?: Record<string, number>;
}

export interface CliChild {
  /** The compiled CLI entry point (`bench/compile.ts`). */
  readonly entry: string;
  /** Node flags before the entry point (the launcher's, or none). */
  readonly nodeFlags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Where the memory probe writes its peak sample (read and removed after the run). */
  readonly probeFile: string;
}

export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Peak RSS of a child: the kernel's high-water mark, read until the process exits. */
export function readPeakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The node flags in the CLI launcher's shebang (`#!/usr/bin/env -S node <flags>`). */
export function launcherNodeFlags(root: string): string[] {
  const shebang = readFileSync(join(root, 'bin', 'entra-backup.js'), 'utf8').split('\n', 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node(.*)$/.exec(shebang);
  if (!match) throw new Error(`unexpected launcher shebang: ${shebang}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/**
 * Runs the compiled CLI as a child process with the memory probe preloaded; its peak RSS is the
 * kernel's high-water mark (`VmHWM`), polled every 100 ms until it exits. `onStderr` sees its
 * stderr as it arrives (progress lines).
 */
export async function runCliChild(
  child: CliChild,
  argv: readonly string[],
  onStderr?: (text: string) => void,
): Promise<CliRun> {
  const started = performance.now();
  const process_ = spawn(process.execPath, [...child.nodeFlags, '-r', PROBE, child.entry, ...argv], {
    cwd: child.cwd,
    env: { ...child.env, BENCH_MEMORY_PROBE_FILE: child.probeFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peak = 0;
  process_.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  process_.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    onStderr?.(t);
  });
  const poll = setInterval(() => (peak = Math.max(peak, readPeakRss(process_.pid!) ?? 0)), 100);
  const [code, signal] = await new Promise<[number, string | null]>((resolve) =>
    process_.once('exit', (c, s) => resolve([c ?? 1, s])),
  );
  clearInterval(poll);
  const probe = await readFile(child.probeFile, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, number>,
    () => undefined,
  );
  await rm(child.probeFile, { force: true });
  return {
    code,
    stdout,
    stderr,
    wallMs: Math.round(performance.now() - started),
    ...(signal === null ? {} : { signal }),
    peakRssMb: Math.round(peak / MB),
    ...(probe === undefined
      ? {}
      : {
          atPeakMb: Object.fromEntries(
            ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].map((k) => [
              k,
              Math.round((probe[k] ?? 0) / MB),
            ]),
          ),
        }),
  };
}
