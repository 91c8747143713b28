import { Injectable } from '@nestjs/common';
import { GraphClientFactory } from '@entra-backup/graph';

/**
 * What sign-in and consent need to know from a customer's directory, read with the app's own
 * (application-permission) token. A class we own, so services are tested with typed doubles.
 */
export abstract class TenantDirectory {
  /** The application permissions granted in the tenant: the `roles` of a freshly issued app token. */
  abstract grantedAppRoles(tenantId: string): Promise<string[]>;
  /** Role definition (= template, for built-in roles) ids of the user's tenant-wide active role assignments. */
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
    // Active assignments made to the user directly; `directoryScopeId` '/' is tenant-wide (an
    // administrative-unit scoped assignment does not make someone a tenant administrator).
    // https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
    const assignments = await this.graph
      .forTenant(tenantId)
      .listAll<RoleAssignment>('/roleManagement/directory/roleAssignments', {
        query: { $filter: `principalId eq '${objectId.replace(/'/g, "''")}'` },
      });
    return assignments
      .filter((a) => a.directoryScopeId === '/' && typeof a.roleDefinitionId === 'string')
      .map((a) => a.roleDefinitionId!.toLowerCase());
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
