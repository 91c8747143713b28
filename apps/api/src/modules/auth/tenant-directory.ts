import { Injectable } from '@nestjs/common';
import { type GraphClient, GraphClientFactory, GraphRequestError } from '@entra-backup/graph';

/**
 * What sign-in and consent need to know from a customer's directory, read with the app's own
 * (application-permission) token. A class we own, so services are tested with typed doubles.
 */
export abstract class TenantDirectory {
  /** The application permissions granted in the tenant: the `roles` of a freshly issued app token. */
  abstract grantedAppRoles(tenantId: string): Promise<string[]>;
  /**
   * Role definition (= template, for built-in roles) ids of the user's tenant-wide active role
   * assignments, including those held through role-assignable groups.
   */
  abstract userRoleTemplateIds(tenantId: string, objectId: string): Promise<string[]>;
  /** The tenant's display name from `/organization`, or undefined when it cannot be read. */
  abstract organizationName(tenantId: string): Promise<string | undefined>;
}

interface RoleAssignment {
  readonly roleDefinitionId?: string;
  readonly directoryScopeId?: string;
}

/** TenantDirectory over Microsoft Graph (or the emulator, by configuration). */
@Injectable()
export class GraphTenantDirectory extends TenantDirectory {
  constructor(private readonly graph: GraphClientFactory) {
    super();
  }

  grantedAppRoles(tenantId: string): Promise<string[]> {
    return this.graph.getGrantedAppRoles(tenantId);
  }

  async userRoleTemplateIds(tenantId: string, objectId: string): Promise<string[]> {
    const client = this.graph.forTenant(tenantId);
    const filter = `principalId eq '${objectId.replace(/'/g, "''")}'`;
    let assignments: RoleAssignment[];
    try {
      assignments = await transitiveAssignments(client, filter);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      // The beta API is not available to this tenant: direct assignments still let in every
      // admin who was let in before.
      // https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
      assignments = await client.listAll<RoleAssignment>('/roleManagement/directory/roleAssignments', {
        query: { $filter: filter },
      });
    }
    // `directoryScopeId` '/' is tenant-wide: an administrative-unit scoped assignment does not
    // make someone a tenant administrator.
    return [
      ...new Set(
        assignments
          .filter((a) => a.directoryScopeId === '/' && typeof a.roleDefinitionId === 'string')
          .map((a) => a.roleDefinitionId!.toLowerCase()),
      ),
    ];
  }

  async organizationName(tenantId: string): Promise<string | undefined> {
    try {
      const org = await this.graph
        .forTenant(tenantId)
        .get<{ value?: Array<{ displayName?: string }> }>('/organization', {
          query: { $select: 'displayName' },
        });
      const name = org.value?.[0]?.displayName;
      return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Direct assignments plus those of the role-assignable groups the principal belongs to (a group's
 * assignment comes back with the group as `principalId`). An advanced query: without
 * `ConsistencyLevel: eventual` Graph answers 404, and `$count=true` is required.
 * https://learn.microsoft.com/graph/api/rbacapplication-list-transitiveroleassignments?view=graph-rest-beta
 */
function transitiveAssignments(client: GraphClient, filter: string): Promise<RoleAssignment[]> {
  return client.listAll<RoleAssignment>('/roleManagement/directory/transitiveRoleAssignments', {
    version: 'beta',
    headers: { ConsistencyLevel: 'eventual' },
    query: { $count: 'true', $filter: filter },
  });
}

/** 404 or 400: the endpoint (or the query it needs) is not available in this cloud. */
function isUnavailable(error: unknown): boolean {
  return error instanceof GraphRequestError && (error.status === 404 || error.status === 400);
}
