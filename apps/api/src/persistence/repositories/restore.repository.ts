import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DatabaseGate } from '../database-gate';
import { RestoreActionEntity } from '../entities/restore-action.entity';
import { RestoreIdMapEntity } from '../entities/restore-id-map.entity';
import { RestorePlanEntity } from '../entities/restore-plan.entity';
import { RestoreRunEntity } from '../entities/restore-run.entity';

export type ActionState = 'pending' | 'started' | 'done' | 'failed' | 'skipped';
export type RestoreRunStatus = 'running' | 'completed' | 'partial' | 'failed' | 'interrupted';

export interface PlanRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly targetTenantId: string;
  readonly snapshotId: string;
  readonly liveSnapshotId: string | null;
  readonly status: 'ready' | 'executing' | 'executed' | 'expired';
  readonly selection: unknown;
  readonly summary: unknown;
  readonly actor: string;
  readonly createdAt: Date;
}

export interface ActionLink {
  readonly relation: string;
  readonly targetId: string;
  readonly targetType: string | null;
}

export interface ActionRecord {
  readonly planId: string;
  readonly seq: number;
  readonly phase: number;
  readonly kind: string;
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly displayName: string | null;
  readonly properties: string[];
  readonly link: ActionLink | null;
  readonly reason: string | null;
  readonly detail: Record<string, unknown> | null;
  readonly state: ActionState;
  readonly newId: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly startedAt: Date | null;
}

export type NewActionRecord = Omit<
  ActionRecord,
  'planId' | 'state' | 'newId' | 'errorCode' | 'errorMessage' | 'startedAt'
>;

export interface ActionOutcome {
  readonly seq: number;
  /** `started` with a `newId`: created, with follow-up writes still to send. */
  readonly state: Exclude<ActionState, 'pending'>;
  readonly newId?: string | null;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly sealedSecret?: string | null;
}

export interface IdMapping {
  readonly kind: 'id' | 'appId';
  readonly oldId: string;
  readonly newId: string;
}

export interface RunRecord {
  readonly id: string;
  readonly planId: string;
  readonly tenantId: string;
  readonly targetTenantId: string;
  readonly snapshotId: string;
  readonly status: RestoreRunStatus;
  readonly actor: string;
  readonly preRestoreSnapshotId: string | null;
  readonly reason: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/** Rows per INSERT: far below SQLite's 32,766 bound parameters at 13 columns per row. */
const INSERT_CHUNK = 500;

/** Restore plans, their actions and execution state, restore runs and id maps. */
@Injectable()
export class RestoreRepository {
  constructor(private readonly gate: DatabaseGate) {}

  /** Stores a plan with all its actions in one transaction: a plan is either whole or absent. */
  async insertPlan(
    plan: PlanRecord,
    actions: readonly NewActionRecord[],
    mappings: readonly IdMapping[] = [],
  ): Promise<void> {
    await this.gate.transaction(async (db) => {
      await db.getRepository(RestorePlanEntity).insert(toPlanEntity(plan));
      for (let start = 0; start < mappings.length; start += INSERT_CHUNK) {
        await db
          .getRepository(RestoreIdMapEntity)
          .insert(mappings.slice(start, start + INSERT_CHUNK).map((m) => ({ planId: plan.id, ...m })));
      }
      for (let start = 0; start < actions.length; start += INSERT_CHUNK) {
        await db
          .getRepository(RestoreActionEntity)
          .insert(actions.slice(start, start + INSERT_CHUNK).map((a) => toActionEntity(plan.id, a)));
      }
    });
  }

  /** Replaces a plan's actions and summary (a plan recomputed at execution). */
  async replaceActions(planId: string, summary: unknown, actions: readonly NewActionRecord[]): Promise<void> {
    await this.gate.transaction(async (db) => {
      await db.getRepository(RestoreActionEntity).delete({ planId });
      for (let start = 0; start < actions.length; start += INSERT_CHUNK) {
        await db
          .getRepository(RestoreActionEntity)
          .insert(actions.slice(start, start + INSERT_CHUNK).map((a) => toActionEntity(planId, a)));
      }
      await db.getRepository(RestorePlanEntity).update({ id: planId }, { summary: JSON.stringify(summary) });
    });
  }

  async findPlan(planId: string): Promise<PlanRecord | null> {
    const row = await this.gate.run((db) => db.getRepository(RestorePlanEntity).findOneBy({ id: planId }));
    return row === null ? null : toPlan(row);
  }

  /** Moves a plan from one status to another; false when it was not in `from`. */
  async transitionPlan(
    planId: string,
    from: PlanRecord['status'],
    to: PlanRecord['status'],
  ): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db.getRepository(RestorePlanEntity).update({ id: planId, status: from }, { status: to }),
    );
    return (result.affected ?? 0) > 0;
  }

  async updatePlanLiveSnapshot(planId: string, liveSnapshotId: string): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(RestorePlanEntity).update({ id: planId }, { liveSnapshotId }),
    );
  }

  /** Actions in `seq` order after `afterSeq`, optionally only those in the given states. */
  async actions(
    planId: string,
    options: { afterSeq?: number; limit: number; states?: readonly ActionState[]; offset?: number },
  ): Promise<ActionRecord[]> {
    const rows = await this.gate.run((db) => {
      const query = db
        .getRepository(RestoreActionEntity)
        .createQueryBuilder('a')
        .where('a.planId = :planId', { planId })
        .orderBy('a.seq', 'ASC')
        .limit(options.limit);
      if (options.afterSeq !== undefined) query.andWhere('a.seq > :after', { after: options.afterSeq });
      if (options.states !== undefined) query.andWhere('a.state IN (:...states)', { states: options.states });
      if (options.offset !== undefined) query.offset(options.offset);
      return query.getMany();
    });
    return rows.map(toAction);
  }

  countActions(planId: string): Promise<number> {
    return this.gate.run((db) => db.getRepository(RestoreActionEntity).countBy({ planId }));
  }

  /** Action counts by kind and state. */
  async actionFigures(planId: string): Promise<Array<{ kind: string; state: string; n: number }>> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(RestoreActionEntity)
        .createQueryBuilder('a')
        .select('a.kind', 'kind')
        .addSelect('a.state', 'state')
        .addSelect('COUNT(*)', 'n')
        .where('a.planId = :planId', { planId })
        .groupBy('a.kind')
        .addGroupBy('a.state')
        .getRawMany<{ kind: string; state: string; n: unknown }>(),
    );
    return rows.map((r) => ({ kind: r.kind, state: r.state, n: Number(r.n) }));
  }

  /** Object type keys the plan writes (actions other than skips). */
  async writtenTypes(planId: string): Promise<string[]> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(RestoreActionEntity)
        .createQueryBuilder('a')
        .select('DISTINCT a.typeKey', 'typeKey')
        .where("a.planId = :planId AND a.kind <> 'skip'", { planId })
        .getRawMany<{ typeKey: string }>(),
    );
    return rows.map((r) => r.typeKey).sort();
  }

  /** Write-ahead: the actions are about to be sent; a restart finds them `started`. */
  async markStarted(planId: string, seqs: readonly number[], at: Date): Promise<void> {
    if (seqs.length === 0) return;
    await this.gate.run((db) =>
      db
        .getRepository(RestoreActionEntity)
        .update({ planId, seq: In([...seqs]) }, { state: 'started', startedAt: at }),
    );
  }

  /** Records outcomes and the ids they created together, so a new id is never lost. */
  async recordOutcomes(
    planId: string,
    outcomes: readonly ActionOutcome[],
    mappings: readonly IdMapping[],
  ): Promise<void> {
    if (outcomes.length === 0 && mappings.length === 0) return;
    await this.gate.transaction(async (db) => {
      if (mappings.length > 0) {
        await db
          .createQueryBuilder()
          .insert()
          .into(RestoreIdMapEntity)
          .values(mappings.map((m) => ({ planId, kind: m.kind, oldId: m.oldId, newId: m.newId })))
          .orIgnore()
          .execute();
      }
      for (const outcome of outcomes) {
        await db.getRepository(RestoreActionEntity).update(
          { planId, seq: outcome.seq },
          {
            state: outcome.state,
            ...(outcome.newId === undefined ? {} : { newId: outcome.newId }),
            ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
            ...(outcome.errorMessage === undefined ? {} : { errorMessage: outcome.errorMessage }),
            ...(outcome.sealedSecret === undefined ? {} : { sealedSecret: outcome.sealedSecret }),
          },
        );
      }
    });
  }

  async idMap(planId: string): Promise<IdMapping[]> {
    const rows = await this.gate.run((db) => db.getRepository(RestoreIdMapEntity).findBy({ planId }));
    return rows.map((r) => ({ kind: r.kind === 'appId' ? 'appId' : 'id', oldId: r.oldId, newId: r.newId }));
  }

  /** Sealed temporary passwords with the action they belong to. */
  async sealedSecrets(
    planId: string,
  ): Promise<Array<{ seq: number; objectId: string; newId: string | null; sealed: string }>> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(RestoreActionEntity)
        .createQueryBuilder('a')
        .where('a.planId = :planId AND a.sealedSecret IS NOT NULL', { planId })
        .orderBy('a.seq', 'ASC')
        .getMany(),
    );
    return rows.map((r) => ({ seq: r.seq, objectId: r.objectId, newId: r.newId, sealed: r.sealedSecret! }));
  }

  async dropSecrets(planId: string): Promise<number> {
    const result = await this.gate.run((db) =>
      db
        .createQueryBuilder()
        .update(RestoreActionEntity)
        .set({ sealedSecret: null })
        .where('plan_id = :planId AND sealed_secret IS NOT NULL', { planId })
        .execute(),
    );
    return result.affected ?? 0;
  }

  async insertRun(run: RunRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(RestoreRunEntity).insert(toRunEntity(run)));
  }

  async findRun(restoreId: string): Promise<RunRecord | null> {
    const row = await this.gate.run((db) => db.getRepository(RestoreRunEntity).findOneBy({ id: restoreId }));
    return row === null ? null : toRun(row);
  }

  async updateRun(
    restoreId: string,
    changes: Partial<Pick<RunRecord, 'status' | 'preRestoreSnapshotId' | 'reason' | 'finishedAt'>>,
  ): Promise<void> {
    await this.gate.run((db) => db.getRepository(RestoreRunEntity).update({ id: restoreId }, changes));
  }

  /** Runs whose source or target is the tenant, newest first. */
  async listRuns(
    tenantId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: RunRecord[]; total: number }> {
    const [rows, total] = await this.gate.run((db) =>
      db.getRepository(RestoreRunEntity).findAndCount({
        where: [{ tenantId }, { targetTenantId: tenantId }],
        order: { startedAt: 'DESC', id: 'ASC' },
        take: page.limit,
        skip: page.offset,
      }),
    );
    return { items: rows.map(toRun), total };
  }

  async findRunsWithStatus(status: RestoreRunStatus): Promise<RunRecord[]> {
    const rows = await this.gate.run((db) => db.getRepository(RestoreRunEntity).findBy({ status }));
    return rows.map(toRun);
  }
}

function toPlanEntity(plan: PlanRecord): RestorePlanEntity {
  return Object.assign(new RestorePlanEntity(), {
    id: plan.id,
    tenantId: plan.tenantId,
    targetTenantId: plan.targetTenantId,
    snapshotId: plan.snapshotId,
    liveSnapshotId: plan.liveSnapshotId,
    status: plan.status,
    selection: JSON.stringify(plan.selection),
    summary: JSON.stringify(plan.summary),
    actor: plan.actor,
    createdAt: plan.createdAt,
  });
}

function toPlan(row: RestorePlanEntity): PlanRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    targetTenantId: row.targetTenantId,
    snapshotId: row.snapshotId,
    liveSnapshotId: row.liveSnapshotId,
    status: row.status as PlanRecord['status'],
    selection: JSON.parse(row.selection) as unknown,
    summary: JSON.parse(row.summary) as unknown,
    actor: row.actor,
    createdAt: row.createdAt,
  };
}

function toActionEntity(planId: string, a: NewActionRecord): RestoreActionEntity {
  return Object.assign(new RestoreActionEntity(), {
    planId,
    seq: a.seq,
    phase: a.phase,
    kind: a.kind,
    typeKey: a.typeKey,
    collection: a.collection,
    objectId: a.objectId,
    displayName: a.displayName,
    properties: JSON.stringify(a.properties),
    link: a.link === null ? null : JSON.stringify(a.link),
    reason: a.reason,
    detail: a.detail === null ? null : JSON.stringify(a.detail),
    state: a.kind === 'skip' ? 'skipped' : 'pending',
    newId: null,
    errorCode: null,
    errorMessage: null,
    startedAt: null,
    sealedSecret: null,
  });
}

function toAction(row: RestoreActionEntity): ActionRecord {
  return {
    planId: row.planId,
    seq: row.seq,
    phase: row.phase,
    kind: row.kind,
    typeKey: row.typeKey,
    collection: row.collection,
    objectId: row.objectId,
    displayName: row.displayName,
    properties: JSON.parse(row.properties) as string[],
    link: row.link === null ? null : (JSON.parse(row.link) as ActionLink),
    reason: row.reason,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    state: row.state as ActionState,
    newId: row.newId,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    startedAt: row.startedAt,
  };
}

function toRunEntity(run: RunRecord): RestoreRunEntity {
  return Object.assign(new RestoreRunEntity(), { ...run });
}

function toRun(row: RestoreRunEntity): RunRecord {
  return {
    id: row.id,
    planId: row.planId,
    tenantId: row.tenantId,
    targetTenantId: row.targetTenantId,
    snapshotId: row.snapshotId,
    status: row.status as RestoreRunStatus,
    actor: row.actor,
    preRestoreSnapshotId: row.preRestoreSnapshotId,
    reason: row.reason,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
