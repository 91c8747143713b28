import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** A tenant's saved retention policy and legal hold; no row means the defaults and no hold. */
@Entity({ name: 'retention_policy' })
export class RetentionPolicyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'keep_all_days', type: 'integer' })
  keepAllDays!: number;

  @Column({ name: 'daily_days', type: 'integer' })
  dailyDays!: number;

  @Column({ name: 'weekly_weeks', type: 'integer' })
  weeklyWeeks!: number;

  @Column({ name: 'monthly_months', type: 'integer' })
  monthlyMonths!: number;

  @Column({ name: 'log_days', type: 'integer' })
  logDays!: number;

  @Column({ name: 'legal_hold', type: 'boolean' })
  legalHold!: boolean;

  @Column({ name: 'legal_hold_reason', type: 'varchar', length: 512, nullable: true })
  legalHoldReason!: string | null;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 256 })
  updatedBy!: string;
}
