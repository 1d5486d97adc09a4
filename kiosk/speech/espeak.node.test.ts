import { describe, expect, it } from 'vitest';
import { synthesize } from './espeak.node.ts';

function riff(wav: Buffer) {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
  let offset = 12;
  let byteRate = 0;
  let dataSize = -1;
  let dataStart = -1;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = wav.readUInt32LE(offset + 8 + 8);
    if (id === 'data') {
      dataSize = size;
      dataStart = offset + 8;
      break;
    }
    offset += 8 + size + (size % 2);
  }
  return { riffSize: wav.readUInt32LE(4), byteRate, dataSize, dataStart };
}

describe('offline voice WAV', () => {
  it('has a header that states the real length, so players show seconds and not hours', async () => {
    const wav = await synthesize('Xin chào Quý khách', 'vi', {
      espeak: 'espeak-ng',
      voices: { vi: 'vi-vn-x-south', en: 'en-gb' },
    });
    const h = riff(wav);
    expect(h.riffSize).toBe(wav.length - 8);
    expect(h.dataSize).toBe(wav.length - h.dataStart);
    const seconds = h.dataSize / h.byteRate;
    expect(seconds).toBeGreaterThan(0.3);
    expect(seconds).toBeLessThan(10);
  });
});
