import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A partner's invitation to a new customer: single use, expiring, bound to the partner. Only the
 * SHA-256 of its random token is kept; the token itself is shown once, in the link's URL.
 */
@Entity({ name: 'onboarding_link' })
export class OnboardingLinkEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'partner_id', type: 'varchar', length: 36 })
  partnerId!: string;

  /** Hex SHA-256 of the token (32 random bytes, so no slow hash is needed). */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'customer_name', type: 'varchar', length: 256 })
  customerName!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;

  @IsoTimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @IsoTimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by', type: 'varchar', length: 256, nullable: true })
  usedBy!: string | null;

  @Column({ name: 'used_by_tenant_id', type: 'varchar', length: 36, nullable: true })
  usedByTenantId!: string | null;

  @IsoTimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'varchar', length: 256, nullable: true })
  revokedBy!: string | null;
}
