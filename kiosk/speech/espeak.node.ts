import { spawn } from 'node:child_process';
import type { Lang } from '../../contract/domains/app.ts';
import { withRealLength } from './wav.ts';

/** The voice for each language (KIOSK_VOICE_VI, KIOSK_VOICE_EN) and the program (KIOSK_ESPEAK). */
export interface Voices {
  readonly espeak: string;
  readonly voices: Record<Lang, string>;
}

/**
 * The offline voice: espeak-ng writes a WAV to stdout. The text goes through stdin, never the
 * command line, so nothing a screen shows can be taken for an option. Slower than the default
 * rate: many listeners are elderly. The header's sizes are rewritten to the real length (espeak-ng
 * leaves its streaming placeholder when writing to a pipe).
 */
export function synthesize(text: string, lang: Lang, { espeak, voices }: Voices, timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(espeak, ['-v', voices[lang], '-s', '140', '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wav = Buffer.concat(chunks);
      if (code === 0 && wav.length > 44) {
        try {
          resolve(withRealLength(wav));
        } catch (err) {
          reject(err as Error);
        }
      } else reject(new Error(`espeak-ng exited with ${code}: ${stderr.trim().slice(0, 200)}`));
    });
    child.stdin.end(text, 'utf8');
  });
}
