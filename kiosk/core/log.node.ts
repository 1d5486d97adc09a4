import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

/**
 * Structured logs in `<dataDir>/logs/kiosk.log`. Never log personal data or secrets: log ids,
 * kinds and codes. `redact` is the safety net for the keys most likely to carry them.
 */
export function createLogger(dataDir: string, level = process.env.KIOSK_LOG_LEVEL ?? 'info'): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  return pino(
    {
      level,
      redact: { paths: ['token', 'credential', 'pin', '*.token', '*.credential', '*.pin', '*.fullName', '*.idNumber', '*.address'], censor: '[redacted]' },
    },
    pino.destination({ dest: join(dir, 'kiosk.log'), sync: false, mkdir: true }),
  );
}
