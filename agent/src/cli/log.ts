import type { Logger } from '../transport/logger.ts';

/** Log lines for people and for journald: `<time> <level> <message>`; debug only with --debug. */
export function createCliLogger(stream: { write(text: string): unknown }, debug: boolean): Logger {
  const line = (level: string) => (message: string) => stream.write(`${new Date().toISOString()} ${level} ${message}\n`);
  return { debug: debug ? line('debug') : () => {}, info: line('info'), warn: line('warn'), error: line('error') };
}
