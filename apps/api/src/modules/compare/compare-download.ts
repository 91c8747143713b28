import { Readable } from 'node:stream';
import type { CompareObject, CompareSummary, ObjectTypeKey } from '@entra-backup/common';
import { CSV_HEADER, csvRows } from './compare-csv';

export interface CompareDownload {
  readonly summary: CompareSummary;
  readonly objects: AsyncIterable<{ type: ObjectTypeKey; object: CompareObject }>;
}

/** The CSV download, written as the objects are described (a page at a time). */
export function compareCsv(download: CompareDownload): Readable {
  return Readable.from(
    (async function* () {
      yield CSV_HEADER;
      for await (const { type, object } of download.objects) yield csvRows(type, object);
    })(),
  );
}

/** The JSON download: the summary, then `objects` streamed one by one. */
export function compareJson(download: CompareDownload): Readable {
  return Readable.from(
    (async function* () {
      const head = JSON.stringify(download.summary);
      yield `${head.slice(0, -1)},"objects":[`;
      let first = true;
      for await (const { type, object } of download.objects) {
        yield `${first ? '' : ','}\n${JSON.stringify({ type, ...object })}`;
        first = false;
      }
      yield '\n]}\n';
    })(),
  );
}
