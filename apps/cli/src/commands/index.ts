import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerBackupCommands } from './backup.command';
import { registerDiffCommands } from './diff.command';
import { registerExportCommands } from './export.command';
import { registerPartnerCommands } from './partner.command';
import { registerPruneCommands } from './prune.command';
import { registerRestoreCommands } from './restore.command';
import { registerSettingsCommands } from './settings.command';
import { registerSnapshotCommands } from './snapshot.command';
import { registerTenantCommands } from './tenant.command';
import { registerVerifyCommands } from './verify.command';

export type CommandGroup = (program: Command, context: CliContext) => void;

/** One entry per command group, in `--help` order. Add `backup`, `snapshots`, ... here. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  registerTenantCommands,
  registerSettingsCommands,
  registerBackupCommands,
  registerSnapshotCommands,
  registerExportCommands,
  registerRestoreCommands,
  registerDiffCommands,
  registerVerifyCommands,
  registerPruneCommands,
  registerPartnerCommands,
];
