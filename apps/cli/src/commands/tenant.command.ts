import type { TenantResponse } from '@entra-backup/common';
import type { Command } from 'commander';
import { TenantsService } from '../../../api/src/modules/tenants/tenants.service';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../cli-errors';
import { renderJson, renderTable } from '../output/table';
import { parseTenantIdArgument } from './arguments';

/** `entra-backup tenant add|list`. */
export function registerTenantCommands(program: Command, context: CliContext): void {
  const tenant = program.command('tenant').description('register and list Entra tenants');

  tenant
    .command('add')
    .description('register a tenant to back up (every object type starts switched off)')
    .argument('<tenantId>', 'Entra tenant id (GUID)', parseTenantIdArgument)
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print the tenant as JSON')
    .action(async (tenantId: string, options: { name: string; json?: boolean }) => {
      const tenants = await context.get(TenantsService);
      const created = await tenants.create(
        { tenantId, displayName: requireName(options.name) },
        context.actor,
      );
      context.io.stdout.write(
        options.json === true
          ? renderJson(created)
          : `Added tenant ${created.tenantId} (${created.displayName})\n`,
      );
    });

  tenant
    .command('list')
    .description('list registered tenants')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const tenants = await context.get(TenantsService);
      const list = await tenants.list();
      context.io.stdout.write(options.json === true ? renderJson(list) : renderTenants(list.items));
    });
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 256) {
    throw new CliUsageError('--name must be 1 to 256 characters');
  }
  return trimmed;
}

function renderTenants(items: readonly TenantResponse[]): string {
  if (items.length === 0)
    return 'No tenants yet. Add one with: entra-backup tenant add <tenantId> --name <name>\n';
  return renderTable(
    ['TENANT ID', 'NAME', 'CREATED'],
    items.map((t) => [t.tenantId, t.displayName, t.createdAt]),
  );
}
