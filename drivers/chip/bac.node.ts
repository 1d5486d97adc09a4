import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mrzCheckDigit } from '../id/mrz.ts';

/**
 * ICAO Doc 9303 part 11: Basic Access Control (BAC) and secure messaging with 3DES and the
 * ISO 9797-1 retail MAC. Node's crypto only: single DES is not in OpenSSL 3's default provider,
 * so DES(K) is computed as two-key 3DES with K‖K (EDE with equal keys is single DES).
 */

/** What BAC needs from the card's MRZ: document number (9 chars on a CCCD), birth and expiry YYMMDD. */
export interface MrzKey {
  documentNumber: string;
  birthDate: string; // YYMMDD
  expiryDate: string; // YYMMDD
}

/** MRZ_information: number + cd, birth + cd, expiry + cd (each check digit computed, never typed). */
export function mrzInformation(key: MrzKey): string {
  const doc = key.documentNumber.toUpperCase().padEnd(9, '<');
  return `${doc}${mrzCheckDigit(doc)}${key.birthDate}${mrzCheckDigit(key.birthDate)}${key.expiryDate}${mrzCheckDigit(key.expiryDate)}`;
}

function adjustParity(key: Buffer): Buffer {
  const out = Buffer.from(key);
  for (let i = 0; i < out.length; i++) {
    const b = out[i]! & 0xfe;
    let ones = 0;
    for (let bit = 1; bit < 0x100; bit <<= 1) if (b & bit) ones++;
    out[i] = ones % 2 === 0 ? b | 1 : b;
  }
  return out;
}

/** Key derivation function for 3DES (9303-11 §9.7.1): SHA-1(seed ‖ counter)[0..16], parity adjusted. */
export function deriveKey(seed: Buffer, counter: 1 | 2): Buffer {
  const d = createHash('sha1')
    .update(Buffer.concat([seed, Buffer.from([0, 0, 0, counter])]))
    .digest();
  return adjustParity(d.subarray(0, 16));
}

export function bacKeys(key: MrzKey): { kEnc: Buffer; kMac: Buffer } {
  const seed = createHash('sha1').update(mrzInformation(key), 'latin1').digest().subarray(0, 16);
  return { kEnc: deriveKey(seed, 1), kMac: deriveKey(seed, 2) };
}

const ZERO_IV = Buffer.alloc(8);

export function tdesEncrypt(key: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('des-ede-cbc', key, ZERO_IV).setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}
export function tdesDecrypt(key: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv('des-ede-cbc', key, ZERO_IV).setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** ISO/IEC 9797-1 padding method 2: 0x80 then zeros to a multiple of 8. */
export function pad(data: Buffer): Buffer {
  const len = data.length + 1;
  const total = Math.ceil(len / 8) * 8;
  const out = Buffer.alloc(total);
  data.copy(out);
  out[data.length] = 0x80;
  return out;
}
export function unpad(data: Buffer): Buffer {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  if (i < 0 || data[i] !== 0x80) throw new SecureMessagingError('bad padding');
  return data.subarray(0, i);
}

/** Retail MAC (ISO 9797-1 MAC algorithm 3, DES): CBC with K1, then the last block D(K2) and E(K1). Input already padded. */
export function retailMac(key: Buffer, padded: Buffer): Buffer {
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const single = (k: Buffer) => Buffer.concat([k, k]);
  const cbc = createCipheriv('des-ede-cbc', single(k1), ZERO_IV).setAutoPadding(false);
  const all = Buffer.concat([cbc.update(padded), cbc.final()]);
  const last = all.subarray(all.length - 8);
  const d = createDecipheriv('des-ede-ecb', single(k2), null).setAutoPadding(false);
  const mid = Buffer.concat([d.update(last), d.final()]);
  const e = createCipheriv('des-ede-ecb', single(k1), null).setAutoPadding(false);
  return Buffer.concat([e.update(mid), e.final()]);
}

export class SecureMessagingError extends Error {
  constructor(detail: string) {
    super(`secure messaging: ${detail}`);
    this.name = 'SecureMessagingError';
  }
}

/** Session keys and the send sequence counter, shared by the terminal (and the emulator's card side). */
export class SessionKeys {
  readonly ssc: Buffer;
  constructor(
    readonly ksEnc: Buffer,
    readonly ksMac: Buffer,
    ssc: Buffer,
  ) {
    this.ssc = Buffer.from(ssc);
  }
  increment(): Buffer {
    for (let i = 7; i >= 0; i--) {
      this.ssc[i] = (this.ssc[i]! + 1) & 0xff;
      if (this.ssc[i] !== 0) break;
    }
    return Buffer.from(this.ssc);
  }
  mac(data: Buffer): Buffer {
    return retailMac(this.ksMac, pad(Buffer.concat([this.increment(), data])));
  }
}

/** Session keys from K.IFD ⊕ K.IC and the SSC from the two nonces (9303-11 §9.7.4). */
export function sessionFrom(kIfd: Buffer, kIc: Buffer, rndIc: Buffer, rndIfd: Buffer): SessionKeys {
  const seed = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) seed[i] = kIfd[i]! ^ kIc[i]!;
  const ssc = Buffer.concat([rndIc.subarray(4, 8), rndIfd.subarray(4, 8)]);
  return new SessionKeys(deriveKey(seed, 1), deriveKey(seed, 2), ssc);
}

/** Builds the EXTERNAL AUTHENTICATE data: E.IFD ‖ M.IFD, and remembers what to check in the answer. */
export function bacChallengeResponse(
  keys: { kEnc: Buffer; kMac: Buffer },
  rndIc: Buffer,
  rndIfd = randomBytes(8),
  kIfd = randomBytes(16),
) {
  const s = Buffer.concat([rndIfd, rndIc, kIfd]);
  const eIfd = tdesEncrypt(keys.kEnc, s);
  const mIfd = retailMac(keys.kMac, pad(eIfd));
  return { data: Buffer.concat([eIfd, mIfd]), rndIfd, kIfd };
}

/** Checks the card's answer to EXTERNAL AUTHENTICATE and opens the session. Throws when the card is not who answered. */
export function bacFinish(
  keys: { kEnc: Buffer; kMac: Buffer },
  answer: Buffer,
  rndIc: Buffer,
  rndIfd: Buffer,
  kIfd: Buffer,
): SessionKeys {
  if (answer.length !== 40) throw new SecureMessagingError('EXTERNAL AUTHENTICATE answer is not 40 bytes');
  const eIc = answer.subarray(0, 32);
  if (!retailMac(keys.kMac, pad(eIc)).equals(answer.subarray(32)))
    throw new SecureMessagingError('card MAC does not verify');
  const r = tdesDecrypt(keys.kEnc, eIc);
  if (!r.subarray(0, 8).equals(rndIc) || !r.subarray(8, 16).equals(rndIfd))
    throw new SecureMessagingError('card nonce mismatch');
  return sessionFrom(kIfd, r.subarray(16, 32), rndIc, rndIfd);
}

/** A DER length. */
export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}
const tlv = (tag: number, value: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);

export interface Apdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Buffer;
  /** Expected length; 0 = 256. */
  le?: number;
}

/** Wraps a command APDU in secure messaging (DO'87', DO'97', DO'8E'), short length only. */
export function protect(session: SessionKeys, apdu: Apdu): Buffer {
  const header = Buffer.from([apdu.cla | 0x0c, apdu.ins, apdu.p1, apdu.p2]);
  const do87 =
    apdu.data && apdu.data.length
      ? tlv(0x87, Buffer.concat([Buffer.from([0x01]), tdesEncrypt(session.ksEnc, pad(apdu.data))]))
      : Buffer.alloc(0);
  const do97 = apdu.le !== undefined ? tlv(0x97, Buffer.from([apdu.le & 0xff])) : Buffer.alloc(0);
  const mac = session.mac(Buffer.concat([pad(header), do87, do97]));
  const body = Buffer.concat([do87, do97, tlv(0x8e, mac)]);
  return Buffer.concat([header, Buffer.from([body.length]), body, Buffer.from([0x00])]);
}

/** Reads one BER-TLV at `offset` (one- or two-byte tags, definite lengths). */
export function readTlvAt(buf: Buffer, offset: number): { tag: number; value: Buffer; end: number } {
  if (offset >= buf.length) throw new SecureMessagingError('truncated TLV');
  let tag = buf[offset]!;
  let i = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    tag = (tag << 8) | buf[i]!;
    i++;
  }
  let len = buf[i]!;
  i++;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new SecureMessagingError('bad TLV length');
    len = 0;
    for (let k = 0; k < n; k++) len = (len << 8) | buf[i + k]!;
    i += n;
  }
  if (i + len > buf.length) throw new SecureMessagingError('truncated TLV');
  return { tag, value: buf.subarray(i, i + len), end: i + len };
}

/** Unwraps a protected response: checks DO'8E' over DO'87'/DO'99', decrypts. Returns data and SW. */
export function unprotect(session: SessionKeys, response: Buffer): { data: Buffer; sw: number } {
  const outerSw = response.readUInt16BE(response.length - 2);
  const body = response.subarray(0, response.length - 2);
  if (body.length === 0) {
    // A card answers an error without SM objects (e.g. 6982 when the session is gone).
    session.increment();
    return { data: Buffer.alloc(0), sw: outerSw };
  }
  let offset = 0;
  let do87: Buffer | null = null;
  let do99: Buffer | null = null;
  let mac: Buffer | null = null;
  let macInput = Buffer.alloc(0);
  while (offset < body.length) {
    const t = readTlvAt(body, offset);
    const raw = body.subarray(offset, t.end);
    if (t.tag === 0x87) {
      do87 = t.value;
      macInput = Buffer.concat([macInput, raw]);
    } else if (t.tag === 0x99) {
      do99 = t.value;
      macInput = Buffer.concat([macInput, raw]);
    } else if (t.tag === 0x8e) mac = t.value;
    offset = t.end;
  }
  if (!mac || !do99) throw new SecureMessagingError('response without MAC or status');
  if (!session.mac(macInput).equals(mac)) throw new SecureMessagingError('response MAC does not verify');
  const data = do87 ? unpad(tdesDecrypt(session.ksEnc, do87.subarray(1))) : Buffer.alloc(0);
  return { data, sw: do99.readUInt16BE(0) };
}
