import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Service name, written as `name` on every line. */
  name: string;
  /** Minimum level; defaults to `info`. */
  level?: LogLevel;
  /** Where lines go; defaults to stdout (tests pass a stream to read them). */
  destination?: DestinationStream;
}

// Credentials must never reach log storage: bearer tokens, API keys, cookies and
// the signed identity (replayable inside its age window).
const REDACTED_HEADERS = [
  'authorization',
  'cookie',
  'x-api-key',
  'x-conecta-identity',
  'x-conecta-identity-signature',
];

const REDACT_PATHS = REDACTED_HEADERS.flatMap((header) => [
  `req.headers["${header}"]`,
  `headers["${header}"]`,
]);

/**
 * A JSON pino logger: ISO timestamps (UTC), level names instead of numbers, and
 * the authorization, cookie, API-key and identity headers redacted wherever a
 * request is logged.
 */
export function createLogger({
  name,
  level = 'info',
  destination,
}: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
