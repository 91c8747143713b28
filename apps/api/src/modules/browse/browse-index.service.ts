import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  BrowseIndexRepository,
  type SummaryRow,
  type UnindexedPayload,
} from '../../persistence/repositories/browse-index.repository';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { summarizeObject } from '../exporters/browse-index';
import { BROWSE_SPEC_VERSION } from '../exporters/browse-spec';

/** Payloads read per backfill step: bounded memory and short database transactions. */
const BACKFILL_PAGE = 500;

/**
 * Keeps the browse index complete for payloads stored before it existed (or under an older
 * browse spec): at start-up, in the background, it walks object versions and log entries in key
 * order, opens only the payloads without a current index row and writes their rows. New payloads
 * get their row from the snapshot writer, in the transaction that stores them. Browse requests
 * wait for a backfill in progress, so a listing never misses objects.
 */
@Injectable()
export class BrowseIndexService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BrowseIndexService.name);
  private backfill: Promise<number> | undefined;

  constructor(
    private readonly index: BrowseIndexRepository,
    private readonly codec: PayloadCodec,
  ) {}

  onApplicationBootstrap(): void {
    void this.ensureIndexed().catch((error: unknown) =>
      this.logger.error(
        `Building the browse index failed: ${error instanceof Error ? error.message : error}`,
      ),
    );
  }

  /** Resolves when every stored payload has an index row; the first call starts the backfill. */
  ensureIndexed(): Promise<number> {
    this.backfill ??= this.run().catch((error: unknown) => {
      this.backfill = undefined;
      throw error;
    });
    return this.backfill;
  }

  /** Builds the missing rows; returns how many it wrote. */
  async run(): Promise<number> {
    let written = 0;
    let versions: Parameters<BrowseIndexRepository['unindexedVersions']>[1];
    do {
      const page = await this.index.unindexedVersions(BROWSE_SPEC_VERSION, versions, BACKFILL_PAGE);
      written += await this.write(page.items);
      versions = page.next;
    } while (versions !== undefined);
    let logs: Parameters<BrowseIndexRepository['unindexedLogs']>[1];
    do {
      const page = await this.index.unindexedLogs(BROWSE_SPEC_VERSION, logs, BACKFILL_PAGE);
      written += await this.write(page.items);
      logs = page.next;
    } while (logs !== undefined);
    if (written > 0) this.logger.log(`Browse index: built ${written} row(s) for payloads stored before it`);
    return written;
  }

  private async write(items: readonly UnindexedPayload[]): Promise<number> {
    const rows = new Map<string, SummaryRow>();
    for (const item of items) {
      const key = `${item.hash}/${item.typeKey}/${item.collection}`;
      if (rows.has(key)) continue;
      try {
        const object = this.codec.open(item.hash, item.payload);
        rows.set(key, summarizeObject(item.hash, item.typeKey, item.collection, object));
      } catch {
        // A damaged payload stays out of the index; `verify` reports it with its snapshots.
        this.logger.warn(`Browse index: payload ${item.hash} cannot be opened; run verify`);
      }
    }
    await this.index.save([...rows.values()]);
    return rows.size;
  }
}
