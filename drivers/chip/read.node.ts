import type * as pkijs from 'pkijs';
import {
  bacChallengeResponse,
  bacFinish,
  bacKeys,
  protect,
  SecureMessagingError,
  unprotect,
  type MrzKey,
  type SessionKeys,
} from './bac.node.ts';
import { DataError, EF, LDS1_AID, parseCom, parseDg1, parseDg13 } from './datagroups.node.ts';
import { passiveAuthentication } from './pa.node.ts';
import { chipMessage, type ChipErrorCode, type ChipPhases, type ChipRead } from './types.ts';

/** Sends one APDU to the card, answers its response with the status word. Throws CardRemovedError when the card is gone. */
export type Transmit = (apdu: Buffer) => Promise<Buffer>;

export class CardRemovedError extends Error {
  constructor(detail = 'card removed') {
    super(detail);
    this.name = 'CardRemovedError';
  }
}

class ChipFailure extends Error {
  constructor(
    readonly code: ChipErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

const sw = (r: Buffer) => (r.length >= 2 ? r.readUInt16BE(r.length - 2) : 0);
const hex = (n: number) => n.toString(16).padStart(4, '0');

/** Reads one elementary file under secure messaging: SELECT, the TLV header, then 223-byte chunks. */
async function readFile(transmit: Transmit, session: SessionKeys, fid: number): Promise<Buffer> {
  const send = async (apdu: Parameters<typeof protect>[1]) => {
    const r = unprotect(session, await transmit(protect(session, apdu)));
    if (r.sw !== 0x9000)
      throw new ChipFailure('READ_FAILED', `${apdu.ins === 0xa4 ? 'SELECT' : 'READ BINARY'} ${hex(fid)}: ${hex(r.sw)}`);
    return r.data;
  };
  await send({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Buffer.from([fid >> 8, fid & 0xff]) });
  const head = await send({ cla: 0x00, ins: 0xb0, p1: 0, p2: 0, le: 4 });
  if (head.length < 2) throw new ChipFailure('DATA_MALFORMED', `file ${hex(fid)} is empty`);
  const lenByte = head[1]!;
  const headerLen = lenByte < 0x80 ? 2 : 2 + (lenByte & 0x7f);
  let bodyLen = lenByte;
  if (lenByte >= 0x80) {
    bodyLen = 0;
    for (let i = 0; i < (lenByte & 0x7f); i++) bodyLen = (bodyLen << 8) | (head[2 + i] ?? 0);
  }
  const total = headerLen + bodyLen;
  if (total > 0x7fff) throw new ChipFailure('DATA_MALFORMED', `file ${hex(fid)} claims ${total} bytes`);
  const chunks = [head.subarray(0, Math.min(head.length, total))];
  let offset = chunks[0]!.length;
  while (offset < total) {
    const n = Math.min(0xdf, total - offset);
    const part = await send({ cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le: n });
    if (part.length === 0) throw new ChipFailure('READ_FAILED', `file ${hex(fid)} ended early`);
    chunks.push(part);
    offset += part.length;
  }
  return Buffer.concat(chunks).subarray(0, total);
}

export interface ReadOptions {
  cscas: readonly pkijs.Certificate[];
  /** For the bench and the sim: a clock. */
  now?: () => number;
}

/**
 * Card on the reader → verified identity: BAC with the MRZ key, secure-messaging reads of EF.COM,
 * DG1, DG13 and EF.SOD (never DG2), passive authentication, and DG1 checked against the MRZ key
 * and DG13. Never throws: every failure is a ChipRead with a code and a vi/en message.
 */
export async function readChip(transmit: Transmit, key: MrzKey, opts: ReadOptions): Promise<ChipRead> {
  const now = opts.now ?? (() => performance.now());
  const phases: Partial<ChipPhases> = {};
  let t = now();
  const lap = (name: keyof ChipPhases) => {
    const n = now();
    phases[name] = Math.round((n - t) * 10) / 10;
    t = n;
  };
  try {
    // Access: select the LDS1 application, then BAC.
    if (
      sw(await transmit(Buffer.concat([Buffer.from([0x00, 0xa4, 0x04, 0x0c, LDS1_AID.length]), LDS1_AID]))) !== 0x9000
    )
      throw new ChipFailure('NOT_EMRTD', 'no eMRTD application');
    const challenge = await transmit(Buffer.from([0x00, 0x84, 0x00, 0x00, 0x08]));
    if (sw(challenge) !== 0x9000 || challenge.length !== 10)
      throw new ChipFailure('NOT_EMRTD', `GET CHALLENGE ${hex(sw(challenge))}`);
    const rndIc = challenge.subarray(0, 8);
    const keys = bacKeys(key);
    const cr = bacChallengeResponse(keys, rndIc);
    const auth = await transmit(
      Buffer.concat([Buffer.from([0x00, 0x82, 0x00, 0x00, 0x28]), cr.data, Buffer.from([0x28])]),
    );
    if (sw(auth) !== 0x9000) throw new ChipFailure('ACCESS_DENIED', `EXTERNAL AUTHENTICATE ${hex(sw(auth))}`);
    let session: SessionKeys;
    try {
      session = bacFinish(keys, auth.subarray(0, auth.length - 2), rndIc, cr.rndIfd, cr.kIfd);
    } catch (err) {
      throw new ChipFailure('ACCESS_DENIED', (err as Error).message);
    }
    lap('accessMs');

    const com = await readFile(transmit, session, EF.COM.fid);
    const present = parseCom(com);
    if (!present.includes(EF.DG1.tag) || !present.includes(EF.DG13.tag))
      throw new ChipFailure('NOT_EMRTD', 'no DG1/DG13 on the chip');
    const dg1 = await readFile(transmit, session, EF.DG1.fid);
    const dg13 = await readFile(transmit, session, EF.DG13.fid);
    const sod = await readFile(transmit, session, EF.SOD.fid);
    lap('readMs');

    const pa = await passiveAuthentication(
      sod,
      new Map([
        [1, dg1],
        [13, dg13],
      ]),
      opts.cscas,
    );
    if (!pa.ok) throw new ChipFailure(pa.code, pa.detail);
    const mrz = parseDg1(dg1);
    const person = parseDg13(dg13);
    const doc = key.documentNumber.toUpperCase().padEnd(9, '<');
    if (mrz.documentNumber !== doc.replace(/<+$/, '') && mrz.documentNumber !== doc)
      throw new ChipFailure('MRZ_MISMATCH', 'DG1 document number differs from the access key');
    if (mrz.personalId !== null && mrz.personalId !== person.id)
      throw new ChipFailure('MRZ_MISMATCH', 'DG1 and DG13 disagree on the ID');
    if (mrz.birthDate !== person.birthDate)
      throw new ChipFailure('MRZ_MISMATCH', 'DG1 and DG13 disagree on the birth date');
    lap('verifyMs');
    return { ok: true, verified: true, mrz, person, signer: pa.signer, phases: phases as ChipPhases };
  } catch (err) {
    const code: ChipErrorCode =
      err instanceof ChipFailure
        ? err.code
        : err instanceof CardRemovedError
          ? 'CARD_REMOVED'
          : err instanceof DataError
            ? 'DATA_MALFORMED'
            : err instanceof SecureMessagingError
              ? 'READ_FAILED'
              : 'READ_FAILED';
    return { ok: false, code, message: chipMessage(code), phases };
  }
}

/** The detail of a failure for the technician's log (codes and status words only; never chip data). */
export type { ChipRead };
