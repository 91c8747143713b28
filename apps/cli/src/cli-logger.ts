import type { LoggerService } from '@nestjs/common';
import type { CliIo } from './cli-io';

/**
 * Nest logger for the CLI: stdout belongs to command output (tables, JSON), so only
 * warnings and errors are written, to stderr, one line each.
 */
export class CliLogger implements LoggerService {
  constructor(private readonly io: CliIo) {}

  log(): void {}

  debug(): void {}

  verbose(): void {}

  warn(message: unknown, context?: unknown): void {
    this.write('warn', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context); the stack is deliberately not printed.
    this.write('error', message, rest.length > 0 ? rest[rest.length - 1] : undefined);
  }

  private write(level: string, message: unknown, context: unknown): void {
    const text =
      message instanceof Error
        ? message.message
        : typeof message === 'string'
          ? message
          : JSON.stringify(message);
    const prefix = typeof context === 'string' && context.length > 0 ? `[${context}] ` : '';
    this.io.stderr.write(`${level}: ${prefix}${text.split('\n')[0] ?? ''}\n`);
  }
}
