import { LogLevel, Logger } from '@azure/msal-node';
import { msalLoggerOptions, routeMsalLog } from './msal-logger';

const CORRELATION_ID = '0b7f4a52-9c1e-4f6d-8a3b-2d5e6f708192';

function logger() {
  return { debug: jest.fn(), warn: jest.fn() };
}

/** A line formatted as msal formats it before calling the logger callback. */
function msalLine(level: LogLevel, message: string): string {
  return `[Thu, 26 Nov 2026 08:00:00 GMT] : [${CORRELATION_ID}] : @azure/msal-node@5.0.0 : ${LogLevel[level]} - ${message}`;
}

describe(routeMsalLog.name, () => {
  it('logs the missing client_info of app-only token responses at debug level', () => {
    const sut = logger();

    routeMsalLog(sut, LogLevel.Warning, msalLine(LogLevel.Warning, 'No client info in response'), false);

    expect(sut.warn).not.toHaveBeenCalled();
    expect(sut.debug).toHaveBeenCalledWith(
      `msal: No client info in response (correlation id ${CORRELATION_ID})`,
    );
  });

  it.each([LogLevel.Warning, LogLevel.Error])(
    'passes other warnings and errors on as warnings (level %s)',
    (level) => {
      const sut = logger();

      routeMsalLog(sut, level, msalLine(level, 'Network request failed, retrying'), false);

      expect(sut.debug).not.toHaveBeenCalled();
      expect(sut.warn).toHaveBeenCalledWith(
        `msal: Network request failed, retrying (correlation id ${CORRELATION_ID})`,
      );
    },
  );

  it('only demotes the exact expected message, not a longer one containing it', () => {
    const sut = logger();

    routeMsalLog(
      sut,
      LogLevel.Warning,
      msalLine(LogLevel.Warning, 'No client info in response: cache corrupt'),
      false,
    );

    expect(sut.warn).toHaveBeenCalledTimes(1);
  });

  it.each([LogLevel.Info, LogLevel.Verbose, LogLevel.Trace])('logs level %s at debug level', (level) => {
    const sut = logger();

    routeMsalLog(sut, level, msalLine(level, 'acquireTokenByClientCredential called'), false);

    expect(sut.warn).not.toHaveBeenCalled();
    expect(sut.debug).toHaveBeenCalledTimes(1);
  });

  it('never logs a line marked as containing personal data', () => {
    const sut = logger();

    routeMsalLog(sut, LogLevel.Error, msalLine(LogLevel.Error, 'user adele@contoso.com'), true);

    expect(sut.warn).not.toHaveBeenCalled();
    expect(sut.debug).not.toHaveBeenCalled();
  });

  it('passes a line of an unknown format on whole, without a correlation id', () => {
    const sut = logger();

    routeMsalLog(sut, LogLevel.Warning, 'something unexpected', false);

    expect(sut.warn).toHaveBeenCalledWith('msal: something unexpected');
  });
});

describe(msalLoggerOptions.name, () => {
  it("routes msal's own logger: the client_info warning to debug, real warnings to warn, no PII", () => {
    const sut = logger();
    const options = msalLoggerOptions(sut);
    const msal = new Logger(options, '@azure/msal-node', '5.0.0');

    msal.warning('No client info in response', CORRELATION_ID);
    msal.warning('Claims-based caching is disabled', '');
    msal.errorPii('token request for adele@contoso.com failed', '');
    msal.info('acquireTokenByClientCredential called', '');

    expect(options.piiLoggingEnabled).toBe(false);
    expect(sut.debug).toHaveBeenCalledWith(
      `msal: No client info in response (correlation id ${CORRELATION_ID})`,
    );
    expect(sut.warn).toHaveBeenCalledTimes(1);
    expect(sut.warn).toHaveBeenCalledWith('msal: Claims-based caching is disabled');
    // Info lines are below the configured level and never reach the callback.
    expect(sut.debug).toHaveBeenCalledTimes(1);
  });
});
