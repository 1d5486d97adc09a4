import { z } from 'zod';

/**
 * `KIOSK_SCANNER` URIs:
 * - `serial:/dev/ttyACM0?baud=9600&terminator=CR&interByteMs=50`
 * - `hid` (keyboard-wedge scanner, read in the renderer), `camera` (read in the renderer), `sim`.
 * A serial frame ends at the terminator or, when `interByteMs` is set, after that much silence.
 * With `terminator=none` the silence alone ends a frame (50 ms unless set).
 */
export const Terminator = z.enum(['CR', 'LF', 'CRLF', 'none']);
export type Terminator = z.infer<typeof Terminator>;

export const SerialScannerConfig = z.object({
  kind: z.literal('serial'),
  path: z.string().min(1),
  baudRate: z.number().int().positive(),
  terminator: Terminator,
  interByteMs: z.number().int().min(1).max(10_000).nullable(),
});
export type SerialScannerConfig = z.infer<typeof SerialScannerConfig>;

export type ScannerConfig = SerialScannerConfig | { kind: 'hid' } | { kind: 'camera' } | { kind: 'sim' };

export type UriResult = { ok: true; config: ScannerConfig } | { ok: false; message: string };

const query = z
  .object({
    baud: z.coerce.number().int().positive().default(9600),
    terminator: z
      .string()
      .toUpperCase()
      .pipe(Terminator.or(z.literal('NONE').transform(() => 'none' as const)))
      .default('CR'),
    interByteMs: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export function parseScannerUri(uri: string): UriResult {
  const trimmed = uri.trim();
  if (trimmed === 'hid' || trimmed === 'camera' || trimmed === 'sim') return { ok: true, config: { kind: trimmed } };
  if (!trimmed.startsWith('serial:'))
    return { ok: false, message: `unknown scanner "${trimmed.slice(0, 80)}" (serial:/dev/…, hid, camera, sim)` };
  const rest = trimmed.slice('serial:'.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  if (!path.startsWith('/'))
    return { ok: false, message: 'serial scanner needs an absolute device path, e.g. serial:/dev/ttyACM0' };
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)));
  const parsed = query.safeParse(params);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '),
    };
  const { baud, terminator, interByteMs } = parsed.data;
  return {
    ok: true,
    config: {
      kind: 'serial',
      path,
      baudRate: baud,
      terminator,
      interByteMs: interByteMs ?? (terminator === 'none' ? 50 : null),
    },
  };
}
