import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerSettingsCommands } from './settings.command';
import { registerTenantCommands } from './tenant.command';

export type CommandGroup = (program: Command, context: CliContext) => void;

/** One entry per command group, in `--help` order. Add `backup`, `snapshots`, ... here. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [registerTenantCommands, registerSettingsCommands];
