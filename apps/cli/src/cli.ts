import { userInfo } from 'node:os';
import { Command } from 'commander';
import { type AppConfig, loadAppConfig } from '../../api/src/config/app-config';
import { productVersion } from '../../api/src/config/package-root';
import { DomainException } from '../../api/src/core/errors/domain.exception';
import { cliActor } from '../../api/src/modules/audit/audit-action';
import { BackupExceptionCode } from '../../api/src/modules/backup/backup.exception';
import { GraphNotConfiguredError } from '../../api/src/modules/graph/configured-graph-client.factory';
import { CliContext } from './cli-context';
import { ExitCode, reportError } from './cli-errors';
import type { CliIo } from './cli-io';
import { COMMAND_GROUPS } from './commands';

export interface CliOptions {
  /** Configuration to use instead of the process environment (tests). */
  readonly config?: AppConfig;
  /** Audit actor; defaults to `cli:<os user>`. */
  readonly actor?: string;
}

/** Builds the command tree; usage errors throw (exitOverride) instead of exiting the process. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('entra-backup')
    .description('Back up and restore Microsoft Entra ID tenants')
    .version(productVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
  for (const register of COMMAND_GROUPS) register(program, context);
  return program;
}

/**
 * Runs one command line (without the `node script` prefix) and resolves to the exit code.
 * Never throws and never exits the process, so tests call it in-process.
 */
export async function run(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<ExitCode> {
  const context = new CliContext(
    () => options.config ?? loadAppConfig(),
    io,
    options.actor ?? defaultActor(),
  );
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    return reportError(withGraphHint(error, context.graphUnavailableHint), io);
  } finally {
    await context.close();
  }
}

/** "Credentials are not configured" becomes what to do about it (start the demo server, or configure). */
function withGraphHint(error: unknown, hint: string | undefined): unknown {
  const notConfigured =
    error instanceof GraphNotConfiguredError ||
    (error instanceof DomainException && error.code === BackupExceptionCode.GRAPH_NOT_CONFIGURED);
  return notConfigured && hint !== undefined
    ? new Error(`Microsoft Graph cannot be reached: ${hint}`)
    : error;
}

function defaultActor(): string {
  try {
    return cliActor(userInfo().username);
  } catch {
    // userInfo() throws when the uid has no passwd entry (e.g. arbitrary container users).
    return cliActor('unknown');
  }
}
