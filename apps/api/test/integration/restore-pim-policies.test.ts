import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

jest.setTimeout(180_000);

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";

type Rule = Record<string, unknown> & { id: string };

describe.each(testDatabases())(
  `${RestoreService.name}: PIM role settings against the emulator (%s)`,
  (engine) => {
    let h: BackupEngineHarness;
    let tenant: string;

    beforeAll(async () => {
      h = await startBackupEngineHarness({ usersPerTenant: 60, engine });
      tenant = h.tenants[0]!;
      h.consent(tenant, requiredAppRoles());
    });

    afterAll(async () => {
      await h.close();
    });

    /** The rules of a role's policy, found as Graph ties it: through the policy assignment naming the role. */
    async function rulesOf(roleDefinitionId: string): Promise<{ policyId: string; rules: Rule[] }> {
      const client = h.graph.forTenant(tenant);
      const ties = await client.get<{ value: Array<{ policyId: string }> }>(
        `/policies/roleManagementPolicyAssignments?$filter=${SCOPE} and roleDefinitionId eq '${roleDefinitionId}'`,
      );
      const policyId = ties.value[0]!.policyId;
      const policy = await client.get<{ rules: Rule[] }>(
        `/policies/roleManagementPolicies/${policyId}?$expand=rules`,
      );
      return { policyId, rules: policy.rules };
    }
    const rule = (rules: Rule[], id: string) => rules.find((r) => r.id === id)!;

    it("restores a changed rule, and a deleted custom role's settings onto its re-created role's new policy", async () => {
      const client = h.graph.forTenant(tenant);
      const types = ['builtInRoles', 'customRoles'] as const;
      const summary = await h.app
        .get(BackupService)
        .runBackup(tenant, { types: [...types], trigger: 'cli', actor: 'cli:test', full: true });
      expect(summary.status).toBe('completed');

      // Global Administrator's activations were limited to two hours: the disaster allows a day.
      const before = await rulesOf(GLOBAL_ADMINISTRATOR);
      const activation = rule(before.rules, 'Expiration_EndUser_Assignment');
      expect(activation['maximumDuration']).toBe('PT2H');
      await client.patch(
        `/policies/roleManagementPolicies/${before.policyId}/rules/Expiration_EndUser_Assignment`,
        {
          '@odata.type': activation['@odata.type'],
          isExpirationRequired: true,
          maximumDuration: 'P1D',
        },
      );
      expect(
        rule((await rulesOf(GLOBAL_ADMINISTRATOR)).rules, 'Expiration_EndUser_Assignment')['maximumDuration'],
      ).toBe('P1D');

      // A custom role whose eligibilities expire after 90 days is deleted for good, its policy with it.
      const custom = (await h.truth(tenant, 'roleDefinitions')).filter((d) => d['isBuiltIn'] === false);
      let doomed: string | undefined;
      for (const d of custom) {
        const { rules } = await rulesOf(String(d['id']));
        if (rule(rules, 'Expiration_Admin_Eligibility')['isExpirationRequired'] === true)
          doomed = String(d['id']);
      }
      expect(doomed).toBeDefined();
      const doomedPolicy = (await rulesOf(doomed!)).policyId;
      await client.delete(`/roleManagement/directory/roleDefinitions/${doomed!}`);
      await client.delete(`/roleManagement/directory/deletedItems/roleDefinitions/${doomed!}`);

      const sut = h.app.get(RestoreService);
      const plan = await sut.createPlan(
        tenant,
        { snapshotId: summary.snapshotId!, types: [...types] },
        { actor: 'cli:test' },
      );
      const run = await sut.executePlan(tenant, plan.planId, { actor: 'cli:test' });
      const actions = [];
      for await (const a of sut.planActions(tenant, plan.planId)) actions.push(a);
      expect(actions.filter((a) => a.state === 'failed')).toEqual([]);
      expect(run.status).toBe('completed');
      // Only the changed rule of Global Administrator's policy was written.
      expect(
        actions
          .filter((a) => a.collection === 'roleManagementPolicies' && a.id === before.policyId)
          .map((a) => [a.action, a.properties]),
      ).toEqual([['update', ['rules']]]);

      expect(rule((await rulesOf(GLOBAL_ADMINISTRATOR)).rules, 'Expiration_EndUser_Assignment')).toEqual(
        activation,
      );
      const recreated = run.idMap[doomed!];
      expect(recreated).toBeDefined();
      const { policyId, rules } = await rulesOf(recreated!);
      expect(policyId).not.toBe(doomedPolicy);
      expect(rule(rules, 'Expiration_Admin_Eligibility')).toMatchObject({
        isExpirationRequired: true,
        maximumDuration: 'P90D',
      });
    });
  },
);
