import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readTlvAt } from './bac.node.ts';
import type { ChipErrorCode } from './types.ts';

/**
 * Passive authentication (ICAO 9303-11 §5.1): the SOD is a CMS SignedData over the
 * LDSSecurityObject (the hash of every data group); its Document Signer certificate must chain to
 * a CSCA in the list the province deploys. Parsed and verified with pkijs + asn1js over Node's
 * WebCrypto; nothing hand-written but the ICAO-specific LDSSecurityObject walk.
 */

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export class CscaListError extends Error {
  constructor(file: string, detail: string) {
    super(`Danh sách CSCA không đọc được / CSCA list unreadable: ${file}: ${detail}`);
    this.name = 'CscaListError';
  }
}

/** The CSCA list: a PEM bundle of certificates (what a province deploys; see docs/idcard.md). */
export function parseCscaPem(pem: string, file = 'CSCA list'): pkijs.Certificate[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new CscaListError(file, 'no PEM certificate in it');
  return blocks.map((b, i) => {
    try {
      return pkijs.Certificate.fromBER(Buffer.from(b[1]!.replace(/\s+/g, ''), 'base64'));
    } catch (err) {
      throw new CscaListError(file, `certificate ${i + 1}: ${(err as Error).message}`);
    }
  });
}
export function loadCscaFile(file: string): pkijs.Certificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CscaListError(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  return parseCscaPem(text, file);
}

export type PaResult = { ok: true; signer: string } | { ok: false; code: ChipErrorCode; detail: string };

const fail = (code: ChipErrorCode, detail: string): PaResult => ({ ok: false, code, detail });

function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map(
      (tv) =>
        `${tv.type === '2.5.4.3' ? 'CN' : tv.type === '2.5.4.6' ? 'C' : tv.type === '2.5.4.10' ? 'O' : tv.type}=${tv.value.valueBlock.value}`,
    )
    .join(', ');
}

/** The data-group hashes the SOD signs: number → hash, and the hash algorithm. */
export function sodContents(sod: Buffer): { signed: pkijs.SignedData; algorithm: string; hashes: Map<number, Buffer> } {
  const outer = readTlvAt(sod, 0);
  if (outer.tag !== 0x77) throw new Error('EF.SOD without tag 77');
  const info = pkijs.ContentInfo.fromBER(Uint8Array.from(outer.value));
  if (info.contentType !== OID_SIGNED_DATA) throw new Error('SOD is not CMS SignedData');
  const signed = new pkijs.SignedData({ schema: info.content });
  if (signed.encapContentInfo.eContentType !== OID_LDS_SECURITY_OBJECT)
    throw new Error('SOD does not carry an LDSSecurityObject');
  const eContent = signed.encapContentInfo.eContent;
  if (!eContent) throw new Error('SOD without content');
  const lds = asn1js.fromBER(eContent.getValue());
  if (lds.offset === -1 || !(lds.result instanceof asn1js.Sequence)) throw new Error('LDSSecurityObject malformed');
  const [, algId, list] = lds.result.valueBlock.value;
  if (!(algId instanceof asn1js.Sequence) || !(list instanceof asn1js.Sequence))
    throw new Error('LDSSecurityObject malformed');
  const oid = algId.valueBlock.value[0];
  const algorithm = oid instanceof asn1js.ObjectIdentifier ? HASHES[oid.valueBlock.toString()] : undefined;
  if (!algorithm) throw new Error('unsupported hash algorithm in the SOD');
  const hashes = new Map<number, Buffer>();
  for (const entry of list.valueBlock.value) {
    if (!(entry instanceof asn1js.Sequence)) throw new Error('DataGroupHash malformed');
    const [num, value] = entry.valueBlock.value;
    if (!(num instanceof asn1js.Integer) || !(value instanceof asn1js.OctetString))
      throw new Error('DataGroupHash malformed');
    hashes.set(num.valueBlock.valueDec, Buffer.from(value.valueBlock.valueHexView));
  }
  return { signed, algorithm, hashes };
}

/**
 * Verifies the SOD signature, its signer's certificate against the CSCA list, and the hash of
 * every data group read (number → the file's bytes as read, tag included).
 */
export async function passiveAuthentication(
  sod: Buffer,
  dataGroups: Map<number, Buffer>,
  cscas: readonly pkijs.Certificate[],
): Promise<PaResult> {
  if (cscas.length === 0) return fail('PA_NO_CSCA', 'no CSCA configured');
  let contents: ReturnType<typeof sodContents>;
  try {
    contents = sodContents(sod);
  } catch (err) {
    return fail('PA_SIGNATURE', (err as Error).message);
  }
  const { signed, algorithm, hashes } = contents;
  let signer: pkijs.Certificate | undefined;
  try {
    const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true });
    if (!result.signatureVerified) return fail('PA_SIGNATURE', 'SOD signature does not verify');
    signer = result.signerCertificate ?? undefined;
  } catch (err) {
    const e = err as { message?: string; signatureVerified?: boolean };
    return fail('PA_SIGNATURE', e.message ?? 'SOD signature does not verify');
  }
  if (!signer) return fail('PA_SIGNATURE', 'SOD carries no document signer certificate');

  // The document signer must be issued, and signed, by a CSCA in the deployed list.
  const issuer = signer.issuer.toSchema().toBER();
  let trusted = false;
  for (const csca of cscas) {
    if (!Buffer.from(csca.subject.toSchema().toBER()).equals(Buffer.from(issuer))) continue;
    try {
      if (await signer.verify(csca)) {
        trusted = true;
        break;
      }
    } catch {
      // A CSCA with the same name but another key: try the next one (key rollover).
    }
  }
  if (!trusted)
    return fail('PA_UNTRUSTED', `document signer "${nameText(signer.subject)}" does not chain to a configured CSCA`);

  for (const [dg, bytes] of dataGroups) {
    const expected = hashes.get(dg);
    if (!expected) return fail('PA_HASH', `DG${dg} is not in the SOD`);
    const actual = createHash(algorithm).update(bytes).digest();
    if (!actual.equals(expected)) return fail('PA_HASH', `DG${dg} hash does not match the SOD`);
  }
  return { ok: true, signer: nameText(signer.subject) };
}
