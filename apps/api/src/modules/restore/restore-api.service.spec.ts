import type { RestoreProgressEvent } from '@entra-backup/common';
import { lastValueFrom, of, toArray } from 'rxjs';
import { strictDouble } from '../../../test/support/doubles';
import {
  buildRestoreCounts,
  buildRestoreCredential,
  buildRestorePlan,
  buildRestoreRun,
  RESTORE_PLAN,
  RESTORE_RUN,
  RESTORE_TENANT,
} from '../../../test/support/restore.factory';
import { AuthExceptionCode } from '../auth/auth.exception';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import { ConsentExceptionCode } from '../consent/consent.exception';
import { RestoreApiService, type RestoreCaller } from './restore-api.service';
import { RestoreException, RestoreExceptionCode } from './restore.exception';
import type { RestoreService } from './restore.service';

const OTHER_TENANT = '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';
const CALLER: RestoreCaller = {
  actor: 'user:admin@contoso.test',
  mayRestoreInto: (tenantId) => Promise.resolve(tenantId === RESTORE_TENANT),
};

describe(RestoreApiService.name, () => {
  let restores: jest.Mocked<RestoreService>;
  let consent: jest.Mocked<ConsentGrantsService>;
  let sut: RestoreApiService;

  beforeEach(() => {
    restores = strictDouble<RestoreService>('RestoreService');
    consent = strictDouble<ConsentGrantsService>('ConsentGrantsService');
    consent.isGranted.mockResolvedValue(true);
    sut = new RestoreApiService(restores, consent);
  });

  describe('createPlan', () => {
    it('computes the plan as the signed-in admin', async () => {
      const plan = buildRestorePlan();
      restores.createPlan.mockResolvedValue(plan);
      const request = { snapshotId: 'latest', types: ['users' as const] };

      await expect(sut.createPlan(RESTORE_TENANT, request, CALLER)).resolves.toBe(plan);
      expect(restores.createPlan).toHaveBeenCalledWith(RESTORE_TENANT, request, { actor: CALLER.actor });
      expect(consent.isGranted).toHaveBeenCalledWith(RESTORE_TENANT);
    });

    it('accepts the own tenant named as target, in any case', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      const request = { snapshotId: 'latest', targetTenantId: RESTORE_TENANT.toUpperCase() };

      await expect(sut.createPlan(RESTORE_TENANT, request, CALLER)).resolves.toMatchObject({
        planId: RESTORE_PLAN,
      });
    });

    it('refuses another target tenant without computing anything', async () => {
      const request = { snapshotId: 'latest', targetTenantId: OTHER_TENANT };

      await expect(sut.createPlan(RESTORE_TENANT, request, CALLER)).rejects.toMatchObject({
        code: AuthExceptionCode.TENANT_FORBIDDEN,
        message: expect.stringContaining('entra-backup restore --to-tenant'),
      });
      expect(restores.createPlan).not.toHaveBeenCalled();
    });

    it('refuses before admin consent', async () => {
      consent.isGranted.mockResolvedValue(false);

      await expect(sut.createPlan(RESTORE_TENANT, { snapshotId: 'latest' }, CALLER)).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
      });
      expect(restores.createPlan).not.toHaveBeenCalled();
    });
  });

  describe('startExecute', () => {
    it('starts a plan into the own tenant', async () => {
      restores.getPlan.mockResolvedValue(buildRestorePlan());
      restores.startExecute.mockResolvedValue({ restoreId: RESTORE_RUN });

      await expect(sut.startExecute(RESTORE_TENANT, { planId: RESTORE_PLAN }, CALLER)).resolves.toEqual({
        restoreId: RESTORE_RUN,
      });
      expect(restores.startExecute).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_PLAN, CALLER.actor);
      expect(consent.isGranted).toHaveBeenCalledWith(RESTORE_TENANT);
    });

    it('refuses a plan made on the command line that writes into another tenant', async () => {
      restores.getPlan.mockResolvedValue(buildRestorePlan({ targetTenantId: OTHER_TENANT }));

      await expect(sut.startExecute(RESTORE_TENANT, { planId: RESTORE_PLAN }, CALLER)).rejects.toMatchObject({
        code: AuthExceptionCode.TENANT_FORBIDDEN,
      });
      expect(restores.startExecute).not.toHaveBeenCalled();
    });

    it('refuses when consent was revoked since the plan', async () => {
      consent.isGranted.mockResolvedValue(false);

      await expect(sut.startExecute(RESTORE_TENANT, { planId: RESTORE_PLAN }, CALLER)).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
      });
      expect(restores.startExecute).not.toHaveBeenCalled();
    });

    it('answers an unknown plan as not found', async () => {
      restores.getPlan.mockRejectedValue(RestoreException.planNotFound(RESTORE_PLAN));

      await expect(sut.startExecute(RESTORE_TENANT, { planId: RESTORE_PLAN }, CALLER)).rejects.toMatchObject({
        code: RestoreExceptionCode.RESTORE_PLAN_NOT_FOUND,
      });
    });
  });

  it('passes paging on as the engine takes it', async () => {
    const page = { items: [], total: 0, page: 2, pageSize: 50 };
    restores.listRestoreActions.mockResolvedValue(page);

    await expect(
      sut.listRestoreActions(RESTORE_TENANT, RESTORE_RUN, { page: 2, pageSize: 50 }),
    ).resolves.toBe(page);
    expect(restores.listRestoreActions).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_RUN, {
      page: 2,
      pageSize: 50,
    });
  });

  describe('progress', () => {
    it('streams the events of a restore of the tenant', async () => {
      const finished: RestoreProgressEvent = {
        kind: 'restore-finished',
        restoreId: RESTORE_RUN,
        run: buildRestoreRun(),
        at: '2026-12-07T09:02:00.000Z',
      };
      restores.getRestore.mockResolvedValue(buildRestoreRun());
      restores.progress.mockReturnValue(of(finished));

      const events = await lastValueFrom((await sut.progress(RESTORE_TENANT, RESTORE_RUN)).pipe(toArray()));

      expect(events).toEqual([finished]);
    });

    it('fails before streaming for an unknown restore, so the answer can still be a 404', async () => {
      restores.getRestore.mockRejectedValue(RestoreException.notFound(RESTORE_RUN));

      await expect(sut.progress(RESTORE_TENANT, RESTORE_RUN)).rejects.toMatchObject({
        code: RestoreExceptionCode.RESTORE_NOT_FOUND,
      });
      expect(restores.progress).not.toHaveBeenCalled();
    });
  });

  describe('undo', () => {
    const PRE = 'aa11bb22-cc33-4d44-8e55-ff6677889900';
    const USER = '11111111-1111-4111-8111-111111111111';
    const NEW_USER = '33333333-3333-4333-8333-333333333333';

    it('restores the pre-restore backup for the same objects and removes what the restore created', async () => {
      restores.getRestore.mockResolvedValue(
        buildRestoreRun({
          preRestoreSnapshotId: PRE,
          counts: buildRestoreCounts({ recreated: 1, updated: 2 }),
          idMap: { [USER]: NEW_USER },
        }),
      );
      restores.getPlan.mockResolvedValue(
        buildRestorePlan({
          selection: {
            types: ['users', 'bitlockerKeys'],
            ids: [USER],
            relationships: true,
            removeNew: false,
          },
        }),
      );

      await expect(sut.undo(RESTORE_TENANT, RESTORE_RUN)).resolves.toEqual({
        restoreId: RESTORE_RUN,
        preRestoreSnapshotId: PRE,
        request: {
          snapshotId: PRE,
          types: ['users'],
          ids: [USER, NEW_USER],
          relationships: true,
          removeNew: true,
        },
      });
      expect(restores.getPlan).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_PLAN);
    });

    it('keeps whole types and a property selection as they were, removing nothing when nothing was created', async () => {
      restores.getRestore.mockResolvedValue(
        buildRestoreRun({ preRestoreSnapshotId: PRE, counts: buildRestoreCounts({ updated: 1 }) }),
      );
      restores.getPlan.mockResolvedValue(buildRestorePlan());

      await expect(sut.undo(RESTORE_TENANT, RESTORE_RUN)).resolves.toMatchObject({
        request: { snapshotId: PRE, types: ['users', 'groups'], relationships: true, removeNew: false },
      });
      const undo = await sut.undo(RESTORE_TENANT, RESTORE_RUN);
      expect(undo.request).not.toHaveProperty('ids');
    });

    it('refuses a restore that took no pre-restore backup, and one into another tenant', async () => {
      restores.getPlan.mockResolvedValue(buildRestorePlan());
      restores.getRestore.mockResolvedValueOnce(buildRestoreRun({ preRestoreSnapshotId: null }));
      await expect(sut.undo(RESTORE_TENANT, RESTORE_RUN)).rejects.toMatchObject({
        code: RestoreExceptionCode.RESTORE_UNDO_UNAVAILABLE,
      });
      restores.getRestore.mockResolvedValueOnce(
        buildRestoreRun({ preRestoreSnapshotId: PRE, targetTenantId: OTHER_TENANT }),
      );
      await expect(sut.undo(RESTORE_TENANT, RESTORE_RUN)).rejects.toMatchObject({
        code: RestoreExceptionCode.RESTORE_UNDO_UNAVAILABLE,
        message: expect.stringContaining('another tenant'),
      });
    });
  });

  describe('takeCredentials', () => {
    it('hands out the passwords of users re-created in the own tenant', async () => {
      const credential = buildRestoreCredential();
      restores.getRestore.mockResolvedValue(buildRestoreRun());
      restores.takeCredentials.mockResolvedValue([credential]);

      await expect(sut.takeCredentials(RESTORE_TENANT, RESTORE_RUN, CALLER)).resolves.toEqual({
        items: [credential],
      });
      expect(restores.takeCredentials).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_RUN, CALLER.actor);
    });

    it('never hands out passwords of users in another tenant', async () => {
      restores.getRestore.mockResolvedValue(buildRestoreRun({ targetTenantId: OTHER_TENANT }));

      await expect(sut.takeCredentials(RESTORE_TENANT, RESTORE_RUN, CALLER)).rejects.toMatchObject({
        code: AuthExceptionCode.TENANT_FORBIDDEN,
      });
      expect(restores.takeCredentials).not.toHaveBeenCalled();
    });

    it('lets "already handed out" through', async () => {
      const gone = RestoreException.credentialsGone(RESTORE_RUN);
      restores.getRestore.mockResolvedValue(buildRestoreRun());
      restores.takeCredentials.mockRejectedValue(gone);

      await expect(sut.takeCredentials(RESTORE_TENANT, RESTORE_RUN, CALLER)).rejects.toBe(gone);
    });
  });
});
