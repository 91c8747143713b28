import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** A local emergency account of one tenant: signs in without Microsoft's identity platform. */
@Entity({ name: 'break_glass_account' })
export class BreakGlassAccountEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Lower-case; unique within the tenant. */
  @Column({ name: 'username', type: 'varchar', length: 64 })
  username!: string;

  /** `scrypt$<N>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash. */
  @Column({ name: 'password_hash', type: 'varchar', length: 512 })
  passwordHash!: string;

  /** The TOTP secret sealed with the data key (AES-256-GCM, bound to the account id), base64. */
  @Column({ name: 'totp_secret_sealed', type: 'text' })
  totpSecretSealed!: string;

  /** The TOTP time step of the last accepted code: a code of that step or earlier is refused. */
  @Column({ name: 'last_used_step', type: 'integer', nullable: true })
  lastUsedStep!: number | null;

  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @IsoTimestampColumn({ name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;

  @IsoTimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'last_used_address', type: 'varchar', length: 64, nullable: true })
  lastUsedAddress!: string | null;
}
