import { type GraphClient, type GraphClientFactory, GraphRequestError } from '@entra-backup/graph';
import { strictDouble } from '../../../test/support/doubles';
import { GraphTenantDirectory } from './tenant-directory';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const USER = '5c2f3b1a-9d7e-4f60-8a1b-2c3d4e5f6a7b';
const GROUP = 'a1b2c3d4-e5f6-4789-9abc-def012345678';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const PRA = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const TRANSITIVE = '/roleManagement/directory/transitiveRoleAssignments';
const DIRECT = '/roleManagement/directory/roleAssignments';

const graphError = (status: number) =>
  new GraphRequestError({
    kind: status === 404 ? 'notFound' : 'badRequest',
    method: 'GET',
    path: TRANSITIVE,
    status,
  });

describe(GraphTenantDirectory.name, () => {
  let sut: GraphTenantDirectory;
  let factory: jest.Mocked<GraphClientFactory>;
  let client: jest.Mocked<GraphClient>;

  beforeEach(() => {
    factory = strictDouble<GraphClientFactory>('GraphClientFactory');
    client = strictDouble<GraphClient>('GraphClient');
    factory.forTenant.mockReturnValue(client);
    sut = new GraphTenantDirectory(factory);
  });

  describe('userRoleTemplateIds', () => {
    it('asks the beta transitive role assignments as an advanced query', async () => {
      client.listAll.mockResolvedValue([]);

      await sut.userRoleTemplateIds(TENANT, USER);

      expect(factory.forTenant).toHaveBeenCalledWith(TENANT);
      expect(client.listAll).toHaveBeenCalledTimes(1);
      expect(client.listAll).toHaveBeenCalledWith(TRANSITIVE, {
        version: 'beta',
        headers: { ConsistencyLevel: 'eventual' },
        query: { $count: 'true', $filter: `principalId eq '${USER}'` },
      });
    });

    it('keeps tenant-wide roles held directly or through a group, lower-cased and once each', async () => {
      client.listAll.mockResolvedValue([
        { principalId: GROUP, roleDefinitionId: GA.toUpperCase(), directoryScopeId: '/' },
        { principalId: USER, roleDefinitionId: GA, directoryScopeId: '/' },
        { principalId: USER, roleDefinitionId: PRA, directoryScopeId: `/administrativeUnits/${GROUP}` },
        { principalId: GROUP, directoryScopeId: '/' },
      ]);

      await expect(sut.userRoleTemplateIds(TENANT, USER)).resolves.toEqual([GA]);
    });

    it('refuses an administrative-unit scoped Global Administrator', async () => {
      client.listAll.mockResolvedValue([
        { principalId: GROUP, roleDefinitionId: GA, directoryScopeId: `/administrativeUnits/${GROUP}` },
      ]);

      await expect(sut.userRoleTemplateIds(TENANT, USER)).resolves.toEqual([]);
    });

    it('escapes quotes in the object id', async () => {
      client.listAll.mockResolvedValue([]);

      await sut.userRoleTemplateIds(TENANT, "o'brien");

      expect(client.listAll.mock.calls[0]![1]!.query).toMatchObject({ $filter: "principalId eq 'o''brien'" });
    });

    it.each([404, 400])(
      'falls back to direct assignments when the transitive API answers %d',
      async (status) => {
        client.listAll
          .mockRejectedValueOnce(graphError(status))
          .mockResolvedValueOnce([{ principalId: USER, roleDefinitionId: PRA, directoryScopeId: '/' }]);

        await expect(sut.userRoleTemplateIds(TENANT, USER)).resolves.toEqual([PRA]);
        expect(client.listAll).toHaveBeenLastCalledWith(DIRECT, {
          query: { $filter: `principalId eq '${USER}'` },
        });
      },
    );

    it('lets a refusal through, so access falls back to the ID token', async () => {
      const refused = graphError(403);
      client.listAll.mockRejectedValue(refused);

      await expect(sut.userRoleTemplateIds(TENANT, USER)).rejects.toBe(refused);
      expect(client.listAll).toHaveBeenCalledTimes(1);
    });
  });
});
