import { z } from 'zod';
import { call, noInput } from '../define.ts';
import { Lang } from './app.ts';

export const SpeechStatus = z.object({
  available: z.boolean(),
  engine: z.string(),
  voices: z.record(Lang, z.string()),
});

export const calls = {
  /** Whether the offline voice works on this kiosk (espeak-ng from the main side). */
  'speech.status': call(noInput, SpeechStatus),
  /** Speaks text offline: a WAV the renderer plays, so it can pause, resume, repeat and set volume. */
  'speech.synthesize': call(
    z.object({ text: z.string().trim().min(1).max(4000), lang: Lang }).strict(),
    z.object({ wav: z.string().min(1), voice: z.string() }),
  ),
};

export const events = {};
