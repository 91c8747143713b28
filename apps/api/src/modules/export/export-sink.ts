/**
 * Where an export's files go: a directory (staged files renamed when all are complete) or a zip
 * stream (one entry after another). The export writes one file at a time: it opens a file,
 * writes its lines, closes it, and only then opens the next, so a zip entry never waits for
 * another and memory stays flat.
 */
export interface ExportSink {
  /** Starts the next file of the export (the previous one is closed). */
  open(name: string): Promise<ExportSinkFile>;
}

export interface ExportSinkFile {
  /** Bytes written so far (uncompressed). */
  readonly bytes: number;
  writeLine(line: string): Promise<void>;
  /** Ends the file; nothing more is written to it. */
  close(): Promise<void>;
}
