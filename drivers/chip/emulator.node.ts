import { randomBytes } from 'node:crypto';
import {
  bacKeys,
  pad,
  readTlvAt,
  retailMac,
  SessionKeys,
  sessionFrom,
  tdesDecrypt,
  tdesEncrypt,
  unpad,
  derLength,
  type MrzKey,
} from './bac.node.ts';
import { LDS1_AID } from './datagroups.node.ts';

/**
 * The card side of an ICAO 9303 eMRTD with BAC and 3DES secure messaging, over a file image.
 * It speaks to the kiosk through a real PC/SC stack (vpcd.node.ts connects it to vsmartcard's
 * virtual reader) and in-process for the simulator. Written by us rather than loading vicc's
 * ePassport mode because vicc builds its own data groups and SOD from its own key material;
 * a test needs files signed by a CSCA the test made (docs/idcard.md).
 */

const SW = {
  OK: Buffer.from([0x90, 0x00]),
  NOT_FOUND: Buffer.from([0x6a, 0x82]),
  SECURITY: Buffer.from([0x69, 0x82]),
  CONDITIONS: Buffer.from([0x69, 0x85]),
  SM_WRONG: Buffer.from([0x69, 0x88]),
  INS: Buffer.from([0x6d, 0x00]),
  WRONG_P: Buffer.from([0x6b, 0x00]),
};

const tlv = (tag: number, v: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(v.length), v]);

export const EMULATED_ATR = Buffer.from('3B8880010000000000000000000009', 'hex');

export class EmulatedCard {
  readonly #keys: { kEnc: Buffer; kMac: Buffer };
  #rndIc: Buffer | null = null;
  #session: SessionKeys | null = null;
  #selected: Buffer | null = null;
  #appSelected = false;
  /** Count of READ BINARY commands answered (a test pulls the card after N). */
  reads = 0;

  constructor(
    readonly files: Map<number, Buffer>,
    mrzKey: MrzKey,
  ) {
    this.#keys = bacKeys(mrzKey);
  }

  /** Power cycle: the session is gone. */
  reset(): void {
    this.#rndIc = null;
    this.#session = null;
    this.#selected = null;
    this.#appSelected = false;
  }

  process(apdu: Buffer): Buffer {
    if (apdu.length < 4) return SW.WRONG_P;
    const [cla, ins] = [apdu[0]!, apdu[1]!];
    if ((cla & 0x0c) === 0x0c) return this.#secure(apdu);
    // Plain commands: only what comes before BAC. Anything else after BAC drops the session (9303-11 §9.8.6).
    if (this.#session) this.reset();
    if (ins === 0xa4 && apdu[2] === 0x04) {
      const data = apdu.subarray(5, 5 + apdu[4]!);
      this.#appSelected = data.equals(LDS1_AID);
      return this.#appSelected ? SW.OK : SW.NOT_FOUND;
    }
    if (!this.#appSelected) return SW.CONDITIONS;
    if (ins === 0x84) {
      this.#rndIc = randomBytes(8);
      return Buffer.concat([this.#rndIc, SW.OK]);
    }
    if (ins === 0x82) {
      const data = apdu.subarray(5, 5 + apdu[4]!);
      if (!this.#rndIc || data.length !== 40) return SW.CONDITIONS;
      const eIfd = data.subarray(0, 32);
      if (!retailMac(this.#keys.kMac, pad(eIfd)).equals(data.subarray(32))) return SW.SECURITY;
      const s = tdesDecrypt(this.#keys.kEnc, eIfd);
      const rndIfd = s.subarray(0, 8);
      if (!s.subarray(8, 16).equals(this.#rndIc)) return SW.SECURITY;
      const kIfd = s.subarray(16, 32);
      const kIc = randomBytes(16);
      const eIc = tdesEncrypt(this.#keys.kEnc, Buffer.concat([this.#rndIc, rndIfd, kIc]));
      this.#session = sessionFrom(kIfd, kIc, this.#rndIc, rndIfd);
      return Buffer.concat([eIc, retailMac(this.#keys.kMac, pad(eIc)), SW.OK]);
    }
    if (ins === 0xa4 || ins === 0xb0) return SW.SECURITY; // files only under secure messaging
    return SW.INS;
  }

  #secure(apdu: Buffer): Buffer {
    const session = this.#session;
    if (!session) return SW.CONDITIONS;
    const header = Buffer.from([apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!]);
    const body = apdu.subarray(5, 5 + apdu[4]!);
    let offset = 0;
    let do87: Buffer | null = null;
    let le: number | null = null;
    let mac: Buffer | null = null;
    let macInput = pad(header);
    try {
      while (offset < body.length) {
        const t = readTlvAt(body, offset);
        if (t.tag === 0x87) do87 = t.value;
        if (t.tag === 0x97) le = t.value[0] ?? 0;
        if (t.tag === 0x8e) mac = t.value;
        else macInput = Buffer.concat([macInput, body.subarray(offset, t.end)]);
        offset = t.end;
      }
    } catch {
      this.reset();
      return SW.SM_WRONG;
    }
    if (!mac || !session.mac(macInput).equals(mac)) {
      this.reset();
      return SW.SM_WRONG;
    }
    const data = do87 ? unpad(tdesDecrypt(session.ksEnc, do87.subarray(1))) : Buffer.alloc(0);
    const answer = (payload: Buffer, sw: Buffer): Buffer => {
      const d87 = payload.length
        ? tlv(0x87, Buffer.concat([Buffer.from([0x01]), tdesEncrypt(session.ksEnc, pad(payload))]))
        : Buffer.alloc(0);
      const d99 = tlv(0x99, sw);
      const m = session.mac(Buffer.concat([d87, d99]));
      return Buffer.concat([d87, d99, tlv(0x8e, m), SW.OK]);
    };
    const ins = apdu[1];
    if (ins === 0xa4) {
      const file = this.files.get(data.readUInt16BE(0));
      this.#selected = file ?? null;
      return answer(Buffer.alloc(0), file ? SW.OK : SW.NOT_FOUND);
    }
    if (ins === 0xb0) {
      if (!this.#selected) return answer(Buffer.alloc(0), SW.CONDITIONS);
      this.reads++;
      const off = (apdu[2]! << 8) | apdu[3]!;
      const n = le === 0 || le === null ? 256 : le;
      return answer(this.#selected.subarray(off, off + n), SW.OK);
    }
    return answer(Buffer.alloc(0), SW.INS);
  }
}
