import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * An API key. Only a hash of its secret is kept; the prefix (unique, shown in lists) finds the
 * row. Owned by a partner (scope: its customer tenants) or by a tenant (scope: that tenant).
 */
@Entity({ name: 'api_key' })
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'prefix', type: 'varchar', length: 16 })
  prefix!: string;

  /** Hex SHA-256 of the secret part: the secret has 256 bits of entropy, so no slow hash is needed. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ name: 'name', type: 'varchar', length: 128 })
  name!: string;

  /** JSON array of `ApiKeyScope`. */
  @Column({ name: 'scopes', type: 'text' })
  scopes!: string;

  /** `partner` or `tenant`. */
  @Column({ name: 'owner_kind', type: 'varchar', length: 16 })
  ownerKind!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  /** JSON array of tenant ids the key is limited to; null: every tenant of its owner. */
  @Column({ name: 'tenant_ids', type: 'text', nullable: true })
  tenantIds!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @IsoTimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'last_used_address', type: 'varchar', length: 64, nullable: true })
  lastUsedAddress!: string | null;

  @IsoTimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** The key that replaced this one by rotation (it may still work for a grace period). */
  @Column({ name: 'replaced_by_id', type: 'varchar', length: 36, nullable: true })
  replacedById!: string | null;
}
