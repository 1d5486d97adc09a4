import { spawn } from 'node:child_process';

/**
 * Announcements for the waiting room, made offline on central with espeak-ng (as the kiosk
 * does, kiosk/speech/): a two-tone chime, a pause, then the sentence, in one WAV so a display
 * plays one file per call and announcements never interleave.
 */
export const CENTRAL_VOICE_VI = process.env.CENTRAL_VOICE_VI ?? 'vi-vn-x-south';
export const CENTRAL_ESPEAK = process.env.CENTRAL_ESPEAK ?? 'espeak-ng';

export function espeakWav(text: string, voice = CENTRAL_VOICE_VI, timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Text through stdin, never the command line; slower than default for elderly listeners.
    const child = spawn(CENTRAL_ESPEAK, ['-v', voice, '-s', '135', '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
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
      if (code === 0 && wav.length > 44) resolve(wav);
      else reject(new Error(`espeak-ng exited with ${code}: ${stderr.trim().slice(0, 200)}`));
    });
    child.stdin.end(text, 'utf8');
  });
}

export interface Pcm {
  sampleRate: number;
  /** 16-bit mono samples. */
  samples: Int16Array;
}

/** Reads a 16-bit mono PCM WAV (espeak-ng's stdout leaves the data length open: it runs to the end). */
export function readWav(buf: Buffer): Pcm {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a WAV file');
  let off = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      sampleRate = buf.readUInt32LE(off + 12);
      bits = buf.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (channels !== 1 || bits !== 16) throw new Error(`expected 16-bit mono, got ${bits}-bit ${channels} channels`);
      const end = Math.min(buf.length, off + 8 + size);
      const data = buf.subarray(off + 8, end - ((end - off - 8) % 2));
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      return { sampleRate, samples };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error('WAV without data');
}

export function writeWav({ sampleRate, samples }: Pcm): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

/** "Ding-dong": E5 then C5, each with a soft attack and a decay, then a short silence. */
export function chime(sampleRate: number): Int16Array {
  const note = 0.45;
  const tones = [659.25, 523.25];
  const silence = Math.round(sampleRate * 0.3);
  const per = Math.round(sampleRate * note);
  const out = new Int16Array(per * tones.length + silence);
  tones.forEach((f, k) => {
    for (let i = 0; i < per; i++) {
      const t = i / sampleRate;
      const env = Math.min(1, t / 0.01) * Math.exp(-t * 5);
      out[k * per + i] = Math.round(Math.sin(2 * Math.PI * f * t) * env * 0.5 * 32767);
    }
  });
  return out;
}

/** Chime + the spoken sentence, one WAV. */
export async function announcementWav(text: string): Promise<Buffer> {
  const speech = readWav(await espeakWav(text));
  const bell = chime(speech.sampleRate);
  const all = new Int16Array(bell.length + speech.samples.length);
  all.set(bell, 0);
  all.set(speech.samples, bell.length);
  return writeWav({ sampleRate: speech.sampleRate, samples: all });
}
