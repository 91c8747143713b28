/**
 * The permissions admin consent asks for and Settings checks come from the exporters' descriptor
 * registry, so a type's declared read and write permissions are the single source of truth.
 */
export {
  collectionPermissionsOf,
  ownPermissionsOf,
  permissionsOf,
  requiredAppRoles,
  requiredReadPermissions,
  requiredWritePermissions,
  type TypePermissions,
} from '../exporters/permissions';
