import { DomainException } from '../../core/errors/domain.exception';

export enum ExportExceptionCode {
  /** The output directory already holds export files and `force` was not given (HTTP 409). */
  EXPORT_TARGET_NOT_EMPTY = 'EXPORT_TARGET_NOT_EMPTY',
  /** The output path exists but is not a directory, or cannot be created (HTTP 400). */
  EXPORT_TARGET_INVALID = 'EXPORT_TARGET_INVALID',
  /** The snapshot's run failed some of the types to export and a partial export was not accepted (HTTP 409). */
  EXPORT_SNAPSHOT_PARTIAL = 'EXPORT_SNAPSHOT_PARTIAL',
}

export class ExportException extends DomainException<ExportExceptionCode> {
  private constructor(code: ExportExceptionCode, message: string) {
    super(code, message);
  }

  static targetNotEmpty(dir: string, files: readonly string[]): ExportException {
    const shown = files.slice(0, 3).join(', ');
    const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
    return new ExportException(
      ExportExceptionCode.EXPORT_TARGET_NOT_EMPTY,
      `${dir} already holds export files (${shown}${more}); choose an empty directory or pass --force to replace them`,
    );
  }

  static snapshotPartial(seq: number, missing: readonly { type: string; reason: string }[]): ExportException {
    const listed = missing.map((m) => `${m.type} (${m.reason})`).join('; ');
    return new ExportException(
      ExportExceptionCode.EXPORT_SNAPSHOT_PARTIAL,
      `Snapshot #${seq} is partial: its backup run did not read ${listed}. ` +
        'Export it anyway with --allow-partial (the manifest then lists the missing types), or export a complete snapshot',
    );
  }

  static targetInvalid(dir: string, reason: string): ExportException {
    return new ExportException(
      ExportExceptionCode.EXPORT_TARGET_INVALID,
      `Cannot export to ${dir}: ${reason}`,
    );
  }
}
