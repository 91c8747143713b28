import { CommanderError } from 'commander';
import { ConfigurationError } from '../../api/src/config/app-config';
import { DomainException } from '../../api/src/core/errors/domain.exception';
import type { CliIo } from './cli-io';

/**
 * Exit codes: 0 success, 1 the command failed (domain or runtime), 2 bad usage, 3 the command
 * did nothing by rule (e.g. `prune` under a legal hold or while a backup runs).
 */
export enum ExitCode {
  OK = 0,
  FAILURE = 1,
  USAGE = 2,
  NOT_RUN = 3,
}

/** The command did nothing because a rule said so (exit code 3). */
export class CommandNotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandNotRunError';
  }
}

/** Bad arguments or flags detected by a command (exit code 2). */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * Reports an error as ONE line on stderr (never a stack trace) and returns the exit code.
 * Commander has already printed its own usage errors, so those only set the code.
 */
export function reportError(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  if (error instanceof CommandNotRunError) {
    io.stderr.write(`error: ${oneLine(error.message)}\n`);
    return ExitCode.NOT_RUN;
  }
  if (error instanceof CliUsageError) {
    io.stderr.write(`error: ${oneLine(error.message)}\n`);
    return ExitCode.USAGE;
  }
  if (error instanceof DomainException || error instanceof ConfigurationError) {
    io.stderr.write(`error: ${oneLine(error.message)}\n`);
    return ExitCode.FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${oneLine(message)}\n`);
  return ExitCode.FAILURE;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
