import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm start`'s embedded central keeps its demo payment-hook token (mode 0600). */
export const embeddedHookTokenFile = (dataDir: string): string =>
  join(dataDir, 'embedded-central', 'payment-hook-token');

/** The embedded central's demo payment-hook token, if this data directory has one. */
export function readEmbeddedHookToken(dataDir: string): string | null {
  const file = embeddedHookTokenFile(dataDir);
  if (!existsSync(file)) return null;
  const token = readFileSync(file, 'utf8').trim();
  return token.length >= 16 ? token : null;
}
