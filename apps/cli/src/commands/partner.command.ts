import { PARTNER_ROLE_LABELS, PARTNER_ROLES, type PartnerRole, type StaffMember } from '@entra-backup/common';
import type { Command } from 'commander';
import { PartnersService, type PartnerSummary } from '../../../api/src/modules/partners/partners.service';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../cli-errors';
import { renderJson, renderTable } from '../output/table';
import { parsePartnerRoleArgument, parseUpnArgument } from './arguments';

/**
 * `entra-backup partner add|list|staff`: the installation operator creates partners (resellers)
 * with their first Owner, who then manages the staff in the partner portal (or here).
 */
export function registerPartnerCommands(program: Command, context: CliContext): void {
  const partner = program
    .command('partner')
    .description('create partners (resellers) and manage their staff');

  partner
    .command('add')
    .description(
      "create a partner with its first Owner (a person who signs in with their own tenant's account)",
    )
    .argument('<name>', "the partner's name (unique)")
    .requiredOption(
      '--owner <upn>',
      "the first Owner's sign-in name, e.g. ana@fabrikam.com",
      parseUpnArgument,
    )
    .option('--json', 'print the partner as JSON')
    .action(async (name: string, options: { owner: string; json?: boolean }) => {
      const partners = await context.get(PartnersService);
      const created = await partners.create(
        { name: requireName(name), ownerUpn: options.owner },
        context.actor,
      );
      context.io.stdout.write(
        options.json === true
          ? renderJson(created)
          : `Added partner ${created.name} (${created.partnerId}) with Owner ${options.owner}\n` +
              'The Owner signs in through "Partner portal" on the landing page and adds the rest of the staff.\n',
      );
    });

  partner
    .command('list')
    .description('list partners with the size of their staff and customer base')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const partners = await context.get(PartnersService);
      const list = await partners.list();
      context.io.stdout.write(options.json === true ? renderJson({ items: list }) : renderPartners(list));
    });

  partner
    .command('staff')
    .description("list a partner's staff, or add or remove one person")
    .argument('<partner>', "the partner's name or id")
    .argument('[action]', '"add" or "remove" (omit to list)')
    .argument('[upn]', 'sign-in name of the person to add or remove')
    .option(
      '--role <role>',
      `role of the person added: ${PARTNER_ROLES.join(', ')}`,
      parsePartnerRoleArgument,
    )
    .option('--json', 'print JSON')
    .action(
      async (
        partnerName: string,
        action: string | undefined,
        upnArgument: string | undefined,
        options: { role?: PartnerRole; json?: boolean },
      ) => {
        const request = staffRequest(action, upnArgument, options.role);
        const partners = await context.get(PartnersService);
        const target = await partners.resolve(partnerName);
        const write = (text: string, json: unknown) =>
          context.io.stdout.write(options.json === true ? renderJson(json) : text);
        switch (request.kind) {
          case 'list': {
            const staff = await partners.listStaff(target.id);
            write(renderStaff(target.name, staff.items), staff);
            return;
          }
          case 'add': {
            const member = await partners.addStaff(
              target.id,
              { upn: request.upn, role: request.role },
              context.actor,
            );
            write(`Added ${member.upn} to ${target.name} as ${PARTNER_ROLE_LABELS[member.role]}\n`, member);
            return;
          }
          case 'remove':
            await partners.removeStaff(target.id, request.upn, context.actor);
            write(`Removed ${request.upn} from ${target.name}\n`, { removed: request.upn });
            return;
        }
      },
    );
}

type StaffRequest =
  | { readonly kind: 'list' }
  | { readonly kind: 'add'; readonly upn: string; readonly role: PartnerRole }
  | { readonly kind: 'remove'; readonly upn: string };

function staffRequest(
  action: string | undefined,
  upn: string | undefined,
  role: PartnerRole | undefined,
): StaffRequest {
  if (action === undefined) {
    if (role !== undefined) throw new CliUsageError('--role goes with "partner staff <partner> add <upn>"');
    return { kind: 'list' };
  }
  if (action !== 'add' && action !== 'remove') {
    throw new CliUsageError(`unknown staff action "${action}": use add or remove (or nothing, to list)`);
  }
  if (upn === undefined)
    throw new CliUsageError(`partner staff <partner> ${action} needs the person's sign-in name`);
  const name = parseSignInName(upn);
  if (action === 'remove') {
    if (role !== undefined) throw new CliUsageError('--role does not go with remove');
    return { kind: 'remove', upn: name };
  }
  if (role === undefined)
    throw new CliUsageError(`partner staff add needs --role <${PARTNER_ROLES.join('|')}>`);
  return { kind: 'add', upn: name, role };
}

function parseSignInName(value: string): string {
  try {
    return parseUpnArgument(value);
  } catch (error) {
    throw new CliUsageError(`'${value}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 256)
    throw new CliUsageError('the partner name must be 1 to 256 characters');
  return trimmed;
}

function renderPartners(items: readonly PartnerSummary[]): string {
  if (items.length === 0)
    return 'No partners yet. Add one with: entra-backup partner add <name> --owner <upn>\n';
  return renderTable(
    ['PARTNER ID', 'NAME', 'STAFF', 'TENANTS', 'CREATED'],
    items.map((p) => [p.partnerId, p.name, String(p.staff), String(p.tenants), p.createdAt]),
  );
}

function renderStaff(partnerName: string, items: readonly StaffMember[]): string {
  return (
    `Staff of ${partnerName}\n` +
    renderTable(
      ['SIGN-IN NAME', 'ROLE', 'HOME TENANT', 'ADDED'],
      items.map((m) => [
        m.upn,
        PARTNER_ROLE_LABELS[m.role],
        m.homeTenantId ?? '(not signed in yet)',
        m.addedAt,
      ]),
    )
  );
}
