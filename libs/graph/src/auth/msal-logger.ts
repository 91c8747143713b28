import { type Configuration, LogLevel } from '@azure/msal-node';
import { GraphLogger } from '../logger';

export type MsalLoggerOptions = NonNullable<NonNullable<Configuration['system']>['loggerOptions']>;

/**
 * msal warnings that are expected in our flows and say nothing is wrong, logged at debug level.
 *
 * - "No client info in response": msal asks for `client_info` (the user's uid/utid) to key its account
 *   cache, and warns whenever a token response has none. Client-credential (app-only) responses never
 *   carry it, since there is no user, so every backup would print it. We keep no msal accounts: the
 *   sign-in validates the ID token itself.
 */
const EXPECTED_WARNINGS: readonly string[] = ['No client info in response'];

/** msal's formatted line: `[<date>] : [<correlation id>] : <package>@<version> : <Level> - <message>`. */
const MSAL_LINE = /^\[[^\]]*\] : \[([^\]]*)\] : \S* : \w+ - ([\s\S]*)$/;

/**
 * Routes one msal log line to our logger: errors and warnings as warnings (the Graph logger has no
 * error level; failures themselves surface as thrown errors), expected warnings and anything more
 * verbose as debug. Lines msal marks as containing personal data are dropped, whatever the level.
 */
export function routeMsalLog(
  logger: GraphLogger,
  level: LogLevel,
  message: string,
  containsPii: boolean,
): void {
  if (containsPii) return;
  const parsed = MSAL_LINE.exec(message);
  const text = (parsed?.[2] ?? message).trim();
  const correlationId = parsed?.[1];
  const suffix =
    correlationId !== undefined && correlationId !== '' && correlationId !== 'undefined'
      ? ` (correlation id ${correlationId})`
      : '';
  const line = `msal: ${text}${suffix}`;
  if (level <= LogLevel.Warning && !EXPECTED_WARNINGS.includes(text)) logger.warn(line);
  else logger.debug(line);
}

/**
 * msal logger options for our apps: warnings and errors only (msal's info and verbose lines are
 * per-request chatter), personal data never logged, lines routed by `routeMsalLog`.
 */
export function msalLoggerOptions(logger: GraphLogger): MsalLoggerOptions {
  return {
    piiLoggingEnabled: false,
    logLevel: LogLevel.Warning,
    loggerCallback: (level, message, containsPii) => routeMsalLog(logger, level, message, containsPii),
  };
}
