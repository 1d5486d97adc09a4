/**
 * espeak-ng writes its WAV to a pipe, so it cannot seek back: the RIFF and data sizes in the
 * header are the streaming placeholder 0x7FFFFFFF-ish, and players report a length of ~13 hours.
 * Once the whole file is in memory, write the real sizes.
 */
export function withRealLength(wav: Buffer): Buffer {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  const out = Buffer.from(wav);
  out.writeUInt32LE(out.length - 8, 4);
  let offset = 12;
  while (offset + 8 <= out.length) {
    const id = out.toString('ascii', offset, offset + 4);
    const body = offset + 8;
    if (id === 'data') {
      out.writeUInt32LE(out.length - body, offset + 4);
      return out;
    }
    const size = out.readUInt32LE(offset + 4);
    offset = body + size + (size % 2);
  }
  throw new Error('WAVE file without a data chunk');
}
