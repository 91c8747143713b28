/**
 * Base of every exception the domain throws on purpose. Each module declares its own subclass
 * with a code enum (`TenantException` / `TenantExceptionCode`); the HTTP status for each code
 * is decided in one place, `domain-error-status.ts`, and the CLI maps them to exit codes.
 */
export abstract class DomainException<TCode extends string = string> extends Error {
  protected constructor(
    readonly code: TCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
