import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** JSON logs (pino), one line per record. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'anju' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
}
