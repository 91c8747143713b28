import type { GraphBatchRequest, GraphBatchResponse, GraphClient } from '@entra-backup/graph';
import { GraphRequestError } from '@entra-backup/graph';
import { strictDouble } from '../../../../test/support/doubles';
import type {
  ActionOutcome,
  ActionRecord,
  IdMapping,
  RestoreRepository,
} from '../../../persistence/repositories/restore.repository';
import type { StoredObject } from '../plan/restore-planner';
import { mapDomains, RestoreExecutor, temporaryPassword } from './restore-executor';

const PLAN = 'plan-1';
const U1 = '11111111-1111-4111-8111-111111111111';
const NEW_U1 = '99999999-1111-4111-8111-111111111111';
const G1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const POLICY = 'ffffffff-1111-4111-8111-111111111111';
const NEW_POLICY = 'ffffffff-9999-4999-8999-999999999999';
const APP = 'eeeeeeee-1111-4111-8111-111111111111';
const NEW_APP = 'eeeeeeee-9999-4999-8999-999999999999';
const OTHER_APP = 'eeeeeeee-2222-4222-8222-222222222222';

function action(overrides: Partial<ActionRecord>): ActionRecord {
  return {
    planId: PLAN,
    seq: 0,
    phase: 20,
    kind: 'recreate',
    typeKey: 'users',
    collection: 'users',
    objectId: U1,
    displayName: 'Adele',
    properties: ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName'],
    link: null,
    reason: null,
    detail: null,
    state: 'pending',
    newId: null,
    errorCode: null,
    errorMessage: null,
    startedAt: null,
    ...overrides,
  };
}

const ADELE: StoredObject = {
  id: U1,
  accountEnabled: true,
  displayName: 'Adele',
  mailNickname: 'adele',
  userPrincipalName: 'adele@contoso.com',
};

/** An in-memory stand-in for the restore repository's execution methods. */
class ActionLedger {
  readonly outcomes: ActionOutcome[] = [];
  readonly mappings: IdMapping[] = [];
  readonly started: number[] = [];
  constructor(public pending: ActionRecord[]) {}

  repository(): RestoreRepository {
    return {
      idMap: () => Promise.resolve([...this.mappings]),
      actions: (_plan: string, options: { afterSeq?: number; limit: number; states?: readonly string[] }) =>
        Promise.resolve(
          this.pending
            .filter((a) => a.seq > (options.afterSeq ?? -1))
            .filter((a) => options.states === undefined || options.states.includes(a.state))
            .slice(0, options.limit),
        ),
      markStarted: (_plan: string, seqs: readonly number[]) => {
        this.started.push(...seqs);
        return Promise.resolve();
      },
      recordOutcomes: (_plan: string, outcomes: readonly ActionOutcome[], mappings: readonly IdMapping[]) => {
        this.outcomes.push(...outcomes);
        this.mappings.push(...mappings);
        return Promise.resolve();
      },
    } as unknown as RestoreRepository;
  }

  stateOf(seq: number): string | undefined {
    return this.outcomes.filter((o) => o.seq === seq).at(-1)?.state;
  }
}

function answer(status: number, body?: unknown, message?: string): Omit<GraphBatchResponse, 'id'> {
  return {
    status,
    headers: {},
    body,
    ...(status >= 400
      ? {
          error: new GraphRequestError({
            kind: status === 404 ? 'notFound' : 'badRequest',
            method: 'POST',
            path: '/x',
            status,
            code: status === 404 ? 'Request_ResourceNotFound' : 'Request_BadRequest',
            graphMessage: message ?? 'failed',
            attempts: 1,
          }),
        }
      : {}),
  };
}

describe(RestoreExecutor.name, () => {
  let graph: jest.Mocked<GraphClient>;
  let sent: GraphBatchRequest[][];
  let waits: number[];

  function sut(
    ledger: ActionLedger,
    stored: Record<string, StoredObject> = { [U1]: ADELE },
  ): RestoreExecutor {
    return new RestoreExecutor({
      client: graph,
      repository: ledger.repository(),
      source: (_type, _collection, id) => Promise.resolve(stored[id] ?? null),
      sealSecret: (text) => `sealed(${text.length})`,
      now: () => new Date('2026-12-01T00:00:00Z'),
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
  }

  /** Graph answers each request of a batch with the next scripted answer. */
  function script(...answers: Array<(request: GraphBatchRequest) => Omit<GraphBatchResponse, 'id'>>): void {
    let next = 0;
    graph.batch.mockImplementation((requests) => {
      sent.push([...requests]);
      return Promise.resolve(
        new Map(
          requests.map((r) => [r.id, { id: r.id, ...answers[Math.min(next++, answers.length - 1)]!(r) }]),
        ),
      );
    });
  }

  beforeEach(() => {
    graph = strictDouble<GraphClient>('GraphClient');
    sent = [];
    waits = [];
  });

  it('re-creates a user with a temporary password that is stored sealed, and maps its new id', async () => {
    const ledger = new ActionLedger([action({})]);
    script(() => answer(201, { id: NEW_U1 }));
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    const body = sent[0]![0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      displayName: 'Adele',
      passwordProfile: { forceChangePasswordNextSignIn: true },
    });
    expect(ledger.started).toEqual([0]);
    expect(ledger.outcomes).toEqual([{ seq: 0, state: 'done', newId: NEW_U1, sealedSecret: 'sealed(16)' }]);
    expect(ledger.mappings).toEqual([{ kind: 'id', oldId: U1, newId: NEW_U1 }]);
  });

  describe('PIM role policy rules', () => {
    const ROLE = 'dddddddd-1111-4111-8111-111111111111';
    const NEW_ROLE = 'dddddddd-9999-4999-8999-999999999999';
    const rule = (id: string, approver?: string) => ({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id,
      setting: { isApprovalRequired: approver !== undefined, approvers: approver ? [approver] : [] },
    });
    const stored = {
      DirectoryRole_t_old: {
        id: 'DirectoryRole_t_old',
        rules: [rule('Approval_EndUser_Assignment', U1), rule('Expiration_Admin_Assignment'), rule('Other')],
      },
    };
    const ruleAction = (detail: Record<string, unknown>) =>
      action({
        phase: 55,
        kind: 'update',
        typeKey: 'customRoles',
        collection: 'roleManagementPolicies',
        objectId: 'DirectoryRole_t_old',
        properties: ['rules'],
        detail: {
          items: { rules: ['Approval_EndUser_Assignment', 'Expiration_Admin_Assignment'] },
          ...detail,
        },
      });

    it('writes each changed rule with a PATCH of its own to the planned live policy, ids rewired', async () => {
      const ledger = new ActionLedger([ruleAction({ liveId: 'DirectoryRole_t_live', owner: ROLE })]);
      ledger.mappings.push({ kind: 'id', oldId: U1, newId: NEW_U1 });
      script(() => answer(204));
      await sut(ledger, stored).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
        'PATCH /policies/roleManagementPolicies/DirectoryRole_t_live/rules/Approval_EndUser_Assignment',
        'PATCH /policies/roleManagementPolicies/DirectoryRole_t_live/rules/Expiration_Admin_Assignment',
      ]);
      expect(sent[0]![0]!.body).toEqual(rule('Approval_EndUser_Assignment', NEW_U1));
      expect(ledger.stateOf(0)).toBe('done');
    });

    it("finds a re-created role's new policy through its assignment, by the role's new id", async () => {
      const ledger = new ActionLedger([ruleAction({ owner: ROLE })]);
      ledger.mappings.push({ kind: 'id', oldId: ROLE, newId: NEW_ROLE });
      graph.listAll.mockResolvedValue([
        { id: 'tie', policyId: 'DirectoryRole_t_new', roleDefinitionId: NEW_ROLE },
      ]);
      script(() => answer(204));
      await sut(ledger, stored).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(graph.listAll).toHaveBeenCalledWith('/policies/roleManagementPolicyAssignments', {
        version: 'v1.0',
        query: {
          $filter: `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${NEW_ROLE}'`,
        },
      });
      expect(sent.flat().map((r) => r.url)).toEqual([
        '/policies/roleManagementPolicies/DirectoryRole_t_new/rules/Approval_EndUser_Assignment',
        '/policies/roleManagementPolicies/DirectoryRole_t_new/rules/Expiration_Admin_Assignment',
      ]);
      expect(ledger.stateOf(0)).toBe('done');
    });

    it('fails the action with the first rule Graph refuses', async () => {
      const ledger = new ActionLedger([ruleAction({ liveId: 'DirectoryRole_t_live', owner: ROLE })]);
      script(
        () => answer(204),
        () => answer(400, undefined, 'bad rule'),
      );
      await sut(ledger, stored).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(ledger.outcomes.at(-1)).toMatchObject({ seq: 0, state: 'failed', errorMessage: 'bad rule' });
    });
  });

  it('resumes a create that may have been sent by finding what it made instead of creating it twice', async () => {
    const ledger = new ActionLedger([action({ state: 'started' })]);
    graph.listAll.mockResolvedValue([{ id: NEW_U1 }]);
    script(() => answer(204));
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(graph.listAll).toHaveBeenCalledWith('/users', {
      version: 'v1.0',
      query: { $filter: "userPrincipalName eq 'adele@contoso.com'" },
    });
    // No second create: the user found gets a new temporary password instead of the lost one.
    expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([`PATCH /users/${NEW_U1}`]);
    expect(sent[0]![0]!.body).toMatchObject({ passwordProfile: { forceChangePasswordNextSignIn: true } });
    expect(ledger.outcomes).toEqual([
      { seq: 0, state: 'started', newId: NEW_U1, sealedSecret: 'sealed(16)' },
      { seq: 0, state: 'done' },
    ]);
    expect(ledger.mappings).toEqual([{ kind: 'id', oldId: U1, newId: NEW_U1 }]);
  });

  it('re-creates an authentication context under its own id with a PATCH, also when resumed, mapping nothing', async () => {
    const context = (state: ActionRecord['state']) =>
      action({
        phase: 10,
        typeKey: 'conditionalAccessPolicies',
        collection: 'authenticationContextClassReferences',
        objectId: 'c1',
        displayName: 'Require trusted device',
        properties: ['description', 'displayName', 'isAvailable'],
        state,
      });
    const stored = {
      c1: {
        id: 'c1',
        displayName: 'Require trusted device',
        description: 'Compliant device',
        isAvailable: true,
      },
    };
    for (const state of ['pending', 'started'] as const) {
      sent = [];
      const ledger = new ActionLedger([context(state)]);
      script(() => answer(204));
      await sut(ledger, stored).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => [r.method, r.url, r.body])).toEqual([
        [
          'PATCH',
          '/identity/conditionalAccess/authenticationContextClassReferences/c1',
          { displayName: 'Require trusted device', description: 'Compliant device', isAvailable: true },
        ],
      ]);
      expect(ledger.outcomes).toEqual([{ seq: 0, state: 'done', newId: 'c1' }]);
      expect(ledger.mappings).toEqual([]);
    }
    expect(graph.listAll).not.toHaveBeenCalled();
  });

  it('sends the create again when a started one made nothing', async () => {
    const ledger = new ActionLedger([action({ state: 'started' })]);
    graph.listAll.mockResolvedValue([]);
    script(() => answer(201, { id: NEW_U1 }));
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(sent).toHaveLength(1);
    expect(ledger.stateOf(0)).toBe('done');
  });

  it('links to the new id of a re-created object, and treats a link that already exists as done', async () => {
    const ledger = new ActionLedger([
      action({}),
      action({
        seq: 1,
        phase: 35,
        kind: 'addLink',
        typeKey: 'groups',
        collection: 'groups',
        objectId: G1,
        properties: ['members'],
        link: { relation: 'members', targetId: U1, targetType: '#microsoft.graph.user' },
      }),
    ]);
    script(
      () => answer(201, { id: NEW_U1 }),
      () =>
        answer(
          400,
          undefined,
          "One or more added object references already exist for the following modified properties: 'members'.",
        ),
    );
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    const link = sent[1]![0]!;
    expect(link.url).toMatch(new RegExp(`^/groups/${G1}`));
    expect(JSON.stringify(link.body)).toContain(NEW_U1);
    expect(JSON.stringify(link.body)).not.toContain(U1);
    expect(ledger.stateOf(1)).toBe('done');
  });

  it("registers a re-created user's phone under its new id, mapped to the id the next backup stores it under", async () => {
    const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
    const phone: StoredObject = {
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: `${U1}_${MOBILE}`,
      methodId: MOBILE,
      userId: U1,
      phoneNumber: '+1 2065550100',
      phoneType: 'mobile',
    };
    const ledger = new ActionLedger([
      action({}),
      action({
        seq: 1,
        phase: 26,
        kind: 'addLink',
        collection: 'authenticationMethods',
        objectId: `${U1}_${MOBILE}`,
        properties: ['authenticationMethods'],
        link: { relation: 'authenticationMethods', targetId: U1, targetType: null },
        detail: { assignment: phone },
      }),
    ]);
    script(
      () => answer(201, { id: NEW_U1 }),
      () => answer(201, { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: MOBILE }),
    );
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });

    expect(sent[1]!.map((r) => [r.method, r.url, r.body])).toEqual([
      [
        'POST',
        `/users/${NEW_U1}/authentication/phoneMethods`,
        { phoneNumber: '+1 2065550100', phoneType: 'mobile' },
      ],
    ]);
    expect(ledger.stateOf(1)).toBe('done');
    expect(ledger.mappings).toContainEqual({
      kind: 'id',
      oldId: `${U1}_${MOBILE}`,
      newId: `${NEW_U1}_${MOBILE}`,
    });
  });

  it("assigns a re-created policy from the application's side, both ids rewired, and fails on another policy of the kind", async () => {
    const link = (seq: number, targetId: string) =>
      action({
        seq,
        phase: 86,
        kind: 'addLink',
        typeKey: 'appRegistrations',
        collection: 'tokenLifetimePolicies',
        objectId: POLICY,
        properties: ['appliesTo'],
        link: { relation: 'appliesTo', targetId, targetType: '#microsoft.graph.application' },
      });
    const ledger = new ActionLedger([link(0, APP), link(1, OTHER_APP)]);
    ledger.mappings.push(
      { kind: 'id', oldId: POLICY, newId: NEW_POLICY },
      { kind: 'id', oldId: APP, newId: NEW_APP },
    );
    script(
      () => answer(204),
      () => ({
        ...answer(400),
        error: new GraphRequestError({
          kind: 'badRequest',
          method: 'POST',
          path: '/x',
          status: 400,
          code: 'Request_MultipleObjectsWithSameKeyValue',
          graphMessage:
            'Request contains property changes that would result in property-uniqueness violation(s).',
          attempts: 1,
        }),
      }),
    );
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(sent.flat().map((r) => [r.method, r.url, r.body])).toEqual([
      [
        'POST',
        `/applications/${NEW_APP}/tokenLifetimePolicies/$ref`,
        { '@odata.id': `https://graph.microsoft.com/v1.0/policies/tokenLifetimePolicies/${NEW_POLICY}` },
      ],
      [
        'POST',
        `/applications/${OTHER_APP}/tokenLifetimePolicies/$ref`,
        { '@odata.id': `https://graph.microsoft.com/v1.0/policies/tokenLifetimePolicies/${NEW_POLICY}` },
      ],
    ]);
    expect(ledger.stateOf(0)).toBe('done');
    expect(ledger.stateOf(1)).toBe('failed');
  });

  it("removes a policy assignment from the service principal's side", async () => {
    const ledger = new ActionLedger([
      action({
        phase: 86,
        kind: 'removeLink',
        typeKey: 'enterpriseApps',
        collection: 'claimsMappingPolicies',
        objectId: POLICY,
        properties: ['appliesTo'],
        link: { relation: 'appliesTo', targetId: APP, targetType: '#microsoft.graph.servicePrincipal' },
      }),
    ]);
    script(() => answer(404));
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
      `DELETE /servicePrincipals/${APP}/claimsMappingPolicies/${POLICY}/$ref`,
    ]);
    expect(ledger.stateOf(0)).toBe('done');
  });

  it('retries a write the directory has not replicated yet, after a wait, and fails other errors with Graph code', async () => {
    const owner = (seq: number, targetId: string) =>
      action({
        seq,
        kind: 'addLink',
        phase: 35,
        typeKey: 'groups',
        collection: 'groups',
        objectId: G1,
        properties: ['owners'],
        link: { relation: 'owners', targetId, targetType: '#microsoft.graph.user' },
      });
    const ledger = new ActionLedger([owner(0, U1), owner(1, NEW_U1)]);
    script(
      () =>
        answer(
          400,
          undefined,
          'The source resource object or one of the objects being referenced do not exist.',
        ),
      () => answer(400, undefined, 'Owners of this group cannot be changed.'),
      () => answer(204),
    );
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(waits).toEqual([1_000]);
    expect(sent.map((batch) => batch.length)).toEqual([2, 1]);
    expect(ledger.stateOf(0)).toBe('done');
    expect(ledger.outcomes.find((o) => o.seq === 1)).toMatchObject({
      state: 'failed',
      errorCode: 'Request_BadRequest',
      errorMessage: 'Owners of this group cannot be changed.',
    });
  });

  it('fails the links of an object whose re-creation failed at once, naming it, without sending them', async () => {
    const ledger = new ActionLedger([
      action({}),
      action({
        seq: 1,
        phase: 35,
        kind: 'addLink',
        typeKey: 'groups',
        collection: 'groups',
        objectId: G1,
        properties: ['members'],
        link: { relation: 'members', targetId: U1, targetType: '#microsoft.graph.user' },
      }),
    ]);
    script(() =>
      answer(
        400,
        undefined,
        'Another object with the same value for property userPrincipalName already exists.',
      ),
    );
    await sut(ledger).run({ planId: PLAN, crossTenant: false, domainMap: {} });
    expect(sent).toHaveLength(1);
    expect(ledger.outcomes.find((o) => o.seq === 1)).toMatchObject({
      state: 'failed',
      errorCode: 'DependencyFailed',
      errorMessage: `Not written: users ${U1} (Adele) did not come back (Request_BadRequest)`,
    });
  });

  describe('tenant-wide policies', () => {
    const PARTNER = '5ac61c2d-93d7-4341-a4b9-4ea6320388cd';
    const policyAction = (overrides: Partial<ActionRecord>) =>
      action({ phase: 5, typeKey: 'conditionalAccessPolicies', kind: 'update', ...overrides });

    it('replaces the admin consent request policy with a PUT of every writable property', async () => {
      const ledger = new ActionLedger([
        policyAction({
          collection: 'adminConsentRequestPolicy',
          objectId: 'adminConsentRequestPolicy',
          properties: ['isEnabled'],
        }),
      ]);
      script(() => answer(204));
      await sut(ledger, {
        adminConsentRequestPolicy: {
          id: 'adminConsentRequestPolicy',
          isEnabled: true,
          notifyReviewers: false,
          reviewers: [{ query: `/users/${U1}`, queryType: 'MicrosoftGraph', queryRoot: null }],
          version: 3,
        },
      }).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
        'PUT /policies/adminConsentRequestPolicy',
      ]);
      // The whole policy but what Graph owns (`id`, `version`).
      expect(sent[0]![0]!.body).toEqual({
        isEnabled: true,
        notifyReviewers: false,
        reviewers: [{ query: `/users/${U1}`, queryType: 'MicrosoftGraph', queryRoot: null }],
      });
      expect(ledger.stateOf(0)).toBe('done');
    });

    it('writes the authentication methods policy, then each method configuration with a PATCH of its own', async () => {
      const ledger = new ActionLedger([
        policyAction({
          collection: 'authenticationMethodsPolicy',
          objectId: 'authenticationMethodsPolicy',
          properties: ['authenticationMethodConfigurations', 'registrationEnforcement'],
        }),
      ]);
      script(() => answer(204));
      await sut(ledger, {
        authenticationMethodsPolicy: {
          id: 'authenticationMethodsPolicy',
          registrationEnforcement: { campaign: 'off' },
          authenticationMethodConfigurations: [
            {
              '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
              id: 'Fido2',
              state: 'enabled',
            },
            {
              '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
              id: 'Sms',
              state: 'disabled',
            },
          ],
        },
      }).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
        'PATCH /policies/authenticationMethodsPolicy',
        'PATCH /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2',
        'PATCH /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms',
      ]);
      expect(sent[0]![0]!.body).toEqual({ registrationEnforcement: { campaign: 'off' } });
      expect(sent[1]![0]!.body).toEqual({
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
        state: 'enabled',
      });
      expect(ledger.outcomes.map((o) => o.state)).toEqual(['started', 'done']);
    });

    it('fails the policy when a method configuration write fails', async () => {
      const ledger = new ActionLedger([
        policyAction({
          collection: 'authenticationMethodsPolicy',
          objectId: 'authenticationMethodsPolicy',
          properties: ['authenticationMethodConfigurations'],
        }),
      ]);
      script(
        () => answer(204),
        () => answer(400, undefined, "Property 'x' does not exist"),
      );
      await sut(ledger, {
        authenticationMethodsPolicy: {
          id: 'authenticationMethodsPolicy',
          authenticationMethodConfigurations: [
            { id: 'Fido2', state: 'enabled' },
            { id: 'Sms', state: 'disabled' },
          ],
        },
      }).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      // Only the configurations: no empty PATCH of the policy.
      expect(sent.flat().map((r) => r.url)).toEqual([
        '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2',
        '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms',
      ]);
      expect(ledger.stateOf(0)).toBe('failed');
    });

    it('re-creates a permission grant policy under its own id, then adds its condition sets one by one', async () => {
      const ledger = new ActionLedger([
        policyAction({
          kind: 'recreate',
          collection: 'permissionGrantPolicies',
          objectId: 'custom-a',
          properties: ['displayName', 'excludes', 'includes'],
        }),
      ]);
      script(
        () => answer(201, { id: 'custom-a', displayName: 'Mine', includes: [], excludes: [] }),
        () => answer(201, { id: 'new-set' }),
      );
      await sut(ledger, {
        'custom-a': {
          id: 'custom-a',
          displayName: 'Mine',
          includes: [
            { id: 'set-1', permissionClassification: 'low' },
            { id: 'set-2', permissionType: 'application' },
          ],
          excludes: [],
        },
      }).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /policies/permissionGrantPolicies',
        'POST /policies/permissionGrantPolicies/custom-a/includes',
        'POST /policies/permissionGrantPolicies/custom-a/includes',
      ]);
      expect(sent[0]![0]!.body).toEqual({ id: 'custom-a', displayName: 'Mine' });
      expect(sent[1]![0]!.body).toEqual({ permissionClassification: 'low' });
      expect(ledger.stateOf(0)).toBe('done');
    });

    it('re-creates a partner configuration with a POST and keeps it under its tenant id, as Graph answers without an id', async () => {
      const ledger = new ActionLedger([
        policyAction({
          kind: 'recreate',
          collection: 'crossTenantAccessPolicyPartners',
          objectId: PARTNER,
          properties: ['isServiceProvider', 'tenantId'],
        }),
      ]);
      script(() => answer(201, { tenantId: PARTNER, isServiceProvider: true }));
      await sut(ledger, {
        [PARTNER]: {
          id: PARTNER,
          tenantId: PARTNER,
          isServiceProvider: true,
          isInMultiTenantOrganization: false,
        },
      }).run({ planId: PLAN, crossTenant: false, domainMap: {} });
      expect(sent.flat().map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /policies/crossTenantAccessPolicy/partners',
      ]);
      expect(sent[0]![0]!.body).toEqual({ isServiceProvider: true, tenantId: PARTNER });
      expect(ledger.outcomes).toEqual([{ seq: 0, state: 'done', newId: PARTNER }]);
    });
  });

  it('maps the domains of names and addresses for a restore into another tenant', () => {
    expect(
      mapDomains(
        { userPrincipalName: 'adele@contoso.com', otherMails: ['a@sub.contoso.com', 'b@other.com'], n: 3 },
        { 'contoso.com': 'fabrikam.com' },
      ),
    ).toEqual({
      userPrincipalName: 'adele@fabrikam.com',
      otherMails: ['a@sub.fabrikam.com', 'b@other.com'],
      n: 3,
    });
  });

  it('makes temporary passwords that meet the complexity rules', () => {
    for (let i = 0; i < 50; i++) {
      const password = temporaryPassword();
      expect(password).toHaveLength(16);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
    }
  });
});
