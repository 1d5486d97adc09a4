import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { kioskEnv } from '../config/env.node.ts';
import { synthesize, type Voices } from '../speech/espeak.node.ts';

const CACHE_LIMIT = 200;

export function speechHandlers(ctx: ApplianceContext): Pick<Handlers, 'speech.status' | 'speech.synthesize'> {
  // Screens repeat the same sentences all day: keep the most recent ones.
  const cache = new Map<string, string>();
  const env = kioskEnv();
  const voices: Voices = { espeak: env.KIOSK_ESPEAK, voices: { vi: env.KIOSK_VOICE_VI, en: env.KIOSK_VOICE_EN } };
  let available: boolean | null = null;

  const say = async (text: string, lang: 'vi' | 'en') => {
    const key = `${lang}\u0000${text}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const wav = (await synthesize(text, lang, voices)).toString('base64');
    cache.set(key, wav);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    return wav;
  };

  return {
    'speech.status': async () => {
      if (available === null) {
        available = await say('a', 'vi').then(
          () => true,
          () => false,
        );
      }
      return { available, engine: voices.espeak, voices: voices.voices };
    },
    'speech.synthesize': async ({ text, lang }) => {
      try {
        return { wav: await say(text, lang), voice: voices.voices[lang] };
      } catch (err) {
        available = false;
        ctx.log.warn({ err: (err as Error).message }, 'speech synthesis failed');
        throw new KioskError('DEVICE_ERROR', 'offline voice unavailable');
      }
    },
  };
}
