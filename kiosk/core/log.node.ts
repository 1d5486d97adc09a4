import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

/** Where the logs live: `<dataDir>/logs/kiosk.<n>.log`, rotated by pino-roll. */
export const logDir = (dataDir: string) => join(dataDir, 'logs');

/** Rotation: a new file each day or at 5 MB, the newest 10 kept (≤ 50 MB on a small SSD). */
export const LOG_ROTATION = { size: '5m', frequency: 'daily', limit: { count: 10 } } as const;

/**
 * Structured logs with rotation in the data directory. Never log personal data or secrets:
 * log ids, kinds and codes. `redact` is the safety net for the keys most likely to carry them.
 */
export function createLogger(dataDir: string, level: string): Logger {
  const dir = logDir(dataDir);
  mkdirSync(dir, { recursive: true });
  return pino(
    {
      level,
      redact: {
        paths: ['token', 'credential', 'pin', 'authorization', 'enrolCode', '*.token', '*.credential', '*.pin', '*.authorization', '*.enrolCode', '*.fullName', '*.idNumber', '*.address'],
        censor: '[redacted]',
      },
    },
    // pino-roll runs in pino's worker thread: the kiosk never waits on the disk to log.
    pino.transport({ target: 'pino-roll', options: { file: join(dir, 'kiosk'), extension: '.log', mkdir: true, ...LOG_ROTATION } }),
  );
}
