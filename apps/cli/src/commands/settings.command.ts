import {
  collectionLabel,
  OBJECT_TYPES,
  type ObjectTypeKey,
  type SettingsResponse,
} from '@entra-backup/common';
import type { Command } from 'commander';
import { SettingsService } from '../../../api/src/modules/settings/settings.service';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../cli-errors';
import { renderJson, renderTable } from '../output/table';
import { type ObjectTypeSelection, parseObjectTypeListArgument, parseTenantIdArgument } from './arguments';

/** `entra-backup settings get|set`: which object types are backed up per tenant. */
export function registerSettingsCommands(program: Command, context: CliContext): void {
  const settings = program.command('settings').description('choose which object types are backed up');

  settings
    .command('get')
    .description("show a tenant's object types and whether each is backed up")
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--json', 'print JSON instead of a table')
    .action(async (tenantId: string, options: { json?: boolean }) => {
      const service = await context.get(SettingsService);
      const current = await service.get(tenantId);
      context.io.stdout.write(options.json === true ? renderJson(current) : renderSettings(current));
    });

  settings
    .command('set')
    .description('switch object types on and/or off (types not named keep their setting)')
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .option('--enable <keys>', 'comma-separated type keys to back up, or "all"', parseObjectTypeListArgument)
    .option(
      '--disable <keys>',
      'comma-separated type keys to stop backing up, or "all"',
      parseObjectTypeListArgument,
    )
    .option('--json', 'print the resulting settings as JSON')
    .addHelpText('after', `\nType keys: ${OBJECT_TYPES.map((t) => t.key).join(', ')}`)
    .action(
      async (
        tenantId: string,
        options: { enable?: ObjectTypeSelection; disable?: ObjectTypeSelection; json?: boolean },
      ) => {
        const changes = toChanges(options.enable, options.disable);
        const service = await context.get(SettingsService);
        const updated = await service.update(tenantId, changes, context.actor);
        context.io.stdout.write(options.json === true ? renderJson(updated) : renderSettings(updated));
      },
    );

  settings
    .command('consent')
    .description(
      "record the tenant's admin consent (granted in the Microsoft Entra admin center) so types can be switched on",
    )
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .action(async (tenantId: string) => {
      const service = await context.get(SettingsService);
      const status = await service.recordGrantedConsent(tenantId, context.actor);
      const missing = Object.entries(status.types)
        .filter(([, type]) => !type.permissionsGranted)
        .map(([key]) => key);
      // Collections needing more than their type's permissions are skipped without them.
      const skipped = Object.entries(status.types).flatMap(([key, type]) =>
        (type.collections ?? [])
          .filter((c) => !c.granted)
          .map(
            (c) =>
              `${key} ${collectionLabel(c.collection)} (${c.permissions
                .filter((p) => !p.granted)
                .map((p) => p.permission)
                .join(', ')})`,
          ),
      );
      context.io.stdout.write(
        `Admin consent recorded for tenant ${status.tenantId}.` +
          (missing.length === 0
            ? ' Every type can be backed up.\n'
            : ` Not granted for: ${missing.join(', ')}.\n`) +
          (skipped.length === 0
            ? ''
            : `Collections not backed up until their permissions are granted: ${skipped.join('; ')}.\n`),
      );
    });
}

/**
 * `--enable` first, then `--disable`, so `--enable all --disable signInLogs` means "everything
 * but sign-in logs". Naming the same key in two explicit lists is a mistake, not a preference.
 */
function toChanges(
  enable: ObjectTypeSelection | undefined,
  disable: ObjectTypeSelection | undefined,
): Partial<Record<ObjectTypeKey, boolean>> {
  if (enable === undefined && disable === undefined) {
    throw new CliUsageError('settings set needs --enable <keys|all> and/or --disable <keys>');
  }
  if (enable !== undefined && disable !== undefined && !enable.all && !disable.all) {
    const both = enable.keys.filter((key) => disable.keys.includes(key));
    if (both.length > 0) throw new CliUsageError(`both enabled and disabled: ${both.join(', ')}`);
  }
  const changes: Partial<Record<ObjectTypeKey, boolean>> = {};
  for (const key of enable?.keys ?? []) changes[key] = true;
  for (const key of disable?.keys ?? []) changes[key] = false;
  return changes;
}

function renderSettings(settings: SettingsResponse): string {
  return (
    `Tenant ${settings.tenantId} (updated ${settings.updatedAt})\n` +
    renderTable(
      ['TYPE', 'LABEL', 'BACKED UP'],
      OBJECT_TYPES.map((t) => [t.key, t.label, settings.enabledTypes[t.key] ? 'yes' : 'no']),
    )
  );
}
