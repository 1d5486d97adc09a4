import { z } from 'zod';

/**
 * The document scanner's address (`KIOSK_DOCSCANNER`):
 * - `sane:<device>[?mode=Gray&resolution=150&source=Flatbed&test-picture=Grid]` — SANE's
 *   `scanimage` (Debian `sane-utils`), e.g. `sane:test` (SANE's own fake scanner),
 *   `sane:epson2:libusb:001:004`; `sane:` alone takes SANE's first scanner;
 * - `sim:` — the simulator: a printed A4 page with known Vietnamese words, photographed tilted
 *   on a table (`sim:<file.png>` feeds that image instead);
 * - `none` — no scanner (the camera is the only source).
 */
export type DocScannerUri =
  | { kind: 'sane'; device: string | null; options: SaneOptions }
  | { kind: 'sim'; file: string | null }
  | { kind: 'none' };

export const SaneOptions = z
  .object({
    mode: z.enum(['Gray', 'Color', 'Lineart']).default('Gray'),
    resolution: z.coerce.number().int().min(50).max(600).default(150),
    source: z.string().min(1).max(60).optional(),
    'test-picture': z.enum(['Solid black', 'Solid white', 'Color pattern', 'Grid']).optional(),
  })
  .strict();
export type SaneOptions = z.infer<typeof SaneOptions>;

/** SANE device names: backend:rest, letters, digits and the punctuation backends use. No spaces, no shell. */
const SANE_DEVICE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,120}$/;

export function parseDocScannerUri(uri: string): DocScannerUri {
  const raw = uri.trim();
  if (raw === 'none') return { kind: 'none' };
  if (raw === 'sim' || raw.startsWith('sim:')) {
    const file = raw.slice(4);
    return { kind: 'sim', file: file ? file : null };
  }
  if (raw.startsWith('sane:')) {
    const rest = raw.slice(5);
    const q = rest.indexOf('?');
    const device = q === -1 ? rest : rest.slice(0, q);
    if (device && !SANE_DEVICE_RE.test(device)) throw new Error(`SANE device name not understood: ${device}`);
    const query = q === -1 ? {} : Object.fromEntries(new URLSearchParams(rest.slice(q + 1)));
    const options = SaneOptions.safeParse(query);
    if (!options.success)
      throw new Error(
        `SANE option not understood: ${options.error.issues[0]?.path.join('.')}: ${options.error.issues[0]?.message}`,
      );
    return { kind: 'sane', device: device || null, options: options.data };
  }
  throw new Error(`KIOSK_DOCSCANNER must be sane:<device>, sim: or none (got ${JSON.stringify(raw.slice(0, 80))})`);
}

/** For kiosk/config: true when the URI is understood. */
export const docScannerUriProblem = (uri: string): string | null => {
  try {
    parseDocScannerUri(uri);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};
