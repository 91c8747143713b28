import { Injectable } from '@nestjs/common';
import type { ObjectTypeKey } from '@entra-backup/common';
import { descriptorOf } from '../exporters/registry';
import type { TypeExportLayout } from './export-layout';

/**
 * Each type's export layout, derived from its exporter descriptor: the first collection is the
 * primary one, and the descriptor's secret fields are withheld in every collection of the type.
 */
@Injectable()
export class ExportLayouts {
  of(type: ObjectTypeKey): TypeExportLayout {
    const descriptor = descriptorOf(type);
    return {
      primaryCollection: descriptor.collections[0].name,
      secretProperties: Object.fromEntries(
        descriptor.collections.map((collection) => [collection.name, descriptor.secretFields]),
      ),
    };
  }
}
