import { pino, type Logger as PinoLogger } from 'pino';
import { LOG_REDACT_PATHS } from './privacy/mask.ts';

export type Logger = PinoLogger;

/** JSON logs (pino), one line per record; phone and ID numbers are redacted. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'anju' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: LOG_REDACT_PATHS, censor: '[masked]' } }, destination as never);
}
