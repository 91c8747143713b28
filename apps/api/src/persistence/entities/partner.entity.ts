import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** A partner organisation (a reseller) that looks after customers' tenants. */
@Entity({ name: 'partner' })
export class PartnerEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'name', type: 'varchar', length: 256 })
  name!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;
}
