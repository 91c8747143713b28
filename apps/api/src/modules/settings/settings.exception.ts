import { DomainException } from '../../core/errors/domain.exception';

export enum SettingsExceptionCode {
  UNKNOWN_OBJECT_TYPE = 'UNKNOWN_OBJECT_TYPE',
}

export class SettingsException extends DomainException<SettingsExceptionCode> {
  private constructor(code: SettingsExceptionCode, message: string) {
    super(code, message);
  }

  static unknownObjectTypes(keys: readonly string[]): SettingsException {
    return new SettingsException(
      SettingsExceptionCode.UNKNOWN_OBJECT_TYPE,
      `Unknown object ${keys.length === 1 ? 'type' : 'types'}: ${keys.join(', ')}`,
    );
  }
}
