import { Injectable } from '@nestjs/common';
import { DatabaseGate } from '../database-gate';
import { ApiKeyEntity } from '../entities';

/** API keys, found by their visible prefix. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly gate: DatabaseGate) {}

  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.gate.run((db) => db.getRepository(ApiKeyEntity).findOneBy({ prefix }));
  }

  async recordUse(id: string, at: Date, address: string | null): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at, lastUsedAddress: address }),
    );
  }
}
