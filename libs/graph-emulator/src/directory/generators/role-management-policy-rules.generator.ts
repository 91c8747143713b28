import { BUILT_IN_ROLES, GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from '../catalog';
import type { Json } from '../object-collection';
import { defaultPolicyRules } from '../role-management-policies';
import {
  type CollectionGenerator,
  DAY_MS,
  type GeneratorContext,
  iso,
  TYPE_CODES,
} from './generator-context';

/** The roles whose PIM settings an admin changed: the two most privileged built-in roles and the first custom role. */
function roleOf(ctx: GeneratorContext, ordinal: number): string {
  return (
    [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR][ordinal] ??
    ctx.id('roleDefinitions', BUILT_IN_ROLES.length)
  );
}

function withRule(rules: Json[], id: string, patch: Json): Json[] {
  return rules.map((rule) => (rule['id'] === id ? { ...rule, ...patch } : rule));
}

/**
 * Changed rules of the directory roles' PIM policies (every other role keeps Microsoft's defaults, see
 * role-management-policies.ts): Global Administrator needs approval by a named user and a ticket, with two-hour
 * activations; Privileged Role Administrator notifies the security desk; the first custom role's eligibilities
 * expire after 90 days.
 */
export const roleManagementPolicyRulesGenerator: CollectionGenerator = {
  count: (ctx) => Math.min(3, ctx.counts.roleDefinitions),
  generate: (ctx: GeneratorContext, ordinal: number): Json => {
    const r = ctx.rng(TYPE_CODES.roleManagementPolicyRules, ordinal);
    let rules = defaultPolicyRules();
    if (ordinal === 0) {
      const approver = ctx.id('users', r.int(Math.max(1, Math.min(10, ctx.counts.users))));
      rules = withRule(rules, 'Expiration_EndUser_Assignment', { maximumDuration: 'PT2H' });
      rules = withRule(rules, 'Enablement_EndUser_Assignment', {
        enabledRules: ['MultiFactorAuthentication', 'Justification', 'Ticketing'],
      });
      const approval = rules.find((rule) => rule['id'] === 'Approval_EndUser_Assignment')!;
      const setting = approval['setting'] as Json;
      const [stage] = setting['approvalStages'] as Json[];
      rules = withRule(rules, 'Approval_EndUser_Assignment', {
        setting: {
          ...setting,
          isApprovalRequired: true,
          approvalStages: [
            {
              ...stage,
              primaryApprovers: [
                {
                  '@odata.type': '#microsoft.graph.singleUser',
                  userId: approver,
                  description: null,
                  isBackup: false,
                },
              ],
            },
          ],
        },
      });
    } else if (ordinal === 1) {
      rules = withRule(rules, 'Expiration_EndUser_Assignment', { maximumDuration: 'PT4H' });
      rules = withRule(rules, 'Notification_Admin_EndUser_Assignment', {
        notificationLevel: 'Critical',
        notificationRecipients: [`security@${ctx.spec.domain}`],
      });
    } else {
      rules = withRule(rules, 'Expiration_Admin_Eligibility', {
        isExpirationRequired: true,
        maximumDuration: 'P90D',
      });
    }
    return {
      id: ctx.id('roleManagementPolicyRules', ordinal),
      roleDefinitionId: roleOf(ctx, ordinal),
      lastModifiedDateTime: iso(ctx.epoch - (5 + r.int(200)) * DAY_MS),
      lastModifiedBy: { displayName: null, id: null },
      rules,
    };
  },
};
