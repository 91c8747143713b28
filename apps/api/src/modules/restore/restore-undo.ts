import type { ObjectTypeKey, RestorePlanSummary, RestoreRun, RestoreUndo } from '@entra-backup/common';
import { RestoreException } from './restore.exception';

/** Types that hold archives only: a restore never writes them, so an undo has nothing to revert. */
const ARCHIVE_TYPES: ReadonlySet<ObjectTypeKey> = new Set(['signInLogs', 'auditLogs', 'bitlockerKeys']);
/** The plan request's limit on `ids`; beyond it the undo covers the whole types. */
const MAX_IDS = 10_000;

/**
 * The plan request that undoes a restore: restore the target's pre-restore backup, for the same
 * types and objects. Objects the restore brought back or re-created did not exist in that backup,
 * so the undo removes them (`removeNew`), named by their ids in the target.
 * @throws RestoreException RESTORE_UNDO_UNAVAILABLE when no pre-restore backup was taken (the
 * restore stopped before writing anything), or the restore wrote into another tenant
 */
export function undoRequestOf(
  tenantId: string,
  run: RestoreRun,
  plan: Pick<RestorePlanSummary, 'selection'>,
): RestoreUndo {
  if (run.preRestoreSnapshotId === null) throw RestoreException.undoUnavailable(run.restoreId, 'no-backup');
  if (run.targetTenantId.toLowerCase() !== tenantId.toLowerCase())
    throw RestoreException.undoUnavailable(run.restoreId, 'other-tenant');
  const { selection } = plan;
  const types = selection.types.filter((t) => !ARCHIVE_TYPES.has(t));
  if (types.length === 0) throw RestoreException.undoUnavailable(run.restoreId, 'nothing-written');
  const created = run.counts.recreated + run.counts.restoredDeleted > 0 && selection.properties === undefined;
  let ids: string[] | undefined;
  if (selection.ids !== undefined) {
    ids = [...new Set([...selection.ids, ...Object.values(run.idMap)])];
    if (ids.length > MAX_IDS) ids = undefined;
  }
  return {
    restoreId: run.restoreId,
    preRestoreSnapshotId: run.preRestoreSnapshotId,
    request: {
      snapshotId: run.preRestoreSnapshotId,
      types,
      ...(ids === undefined ? {} : { ids }),
      ...(selection.properties === undefined || ids === undefined
        ? {}
        : { properties: selection.properties }),
      relationships: selection.relationships,
      removeNew: created,
    },
  };
}
