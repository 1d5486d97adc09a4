import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { syntheticMrz, type MrzPerson } from '../id/fixtures.ts';
import { derLength } from './bac.node.ts';
import { EF, encodeDg13 } from './datagroups.node.ts';
import { OID_LDS_SECURITY_OBJECT, OID_SIGNED_DATA } from './pa.node.ts';

/**
 * Synthetic Căn cước chip images for tests, the simulator and the bench: a CSCA of our own, a
 * document signer it issues, DG1/DG13 and an SOD signed by that signer. Nobody real; no real
 * country key anywhere.
 */

export interface CardImage {
  /** File identifier → file bytes (EF.COM, DG1, DG13, EF.SOD). */
  files: Map<number, Buffer>;
  /** What the back of the card says (the BAC key). */
  mrz: [string, string, string];
  mrzKey: { documentNumber: string; birthDate: string; expiryDate: string };
}

export interface Authority {
  cscaPem: string;
  csca: pkijs.Certificate;
  cscaKey: CryptoKey;
  ds: pkijs.Certificate;
  dsKey: CryptoKey;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const tlv = (tag: number, v: Buffer) =>
  Buffer.concat([Buffer.from(tag > 0xff ? [tag >> 8, tag & 0xff] : [tag]), derLength(v.length), v]);

function name(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'VN' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    ],
  });
}

async function certificate(
  subject: string,
  issuer: string,
  serial: number,
  publicKey: CryptoKey,
  signKey: CryptoKey,
  ca: boolean,
): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial });
  cert.subject = name(subject);
  cert.issuer = name(issuer);
  cert.notBefore.value = new Date(Date.UTC(2020, 0, 1));
  cert.notAfter.value = new Date(Date.UTC(2040, 0, 1));
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: ca }).toSchema().toBER(false),
      parsedValue: new pkijs.BasicConstraints({ cA: ca }),
    }),
  ];
  await cert.subjectPublicKeyInfo.importKey(publicKey);
  await cert.sign(signKey, 'SHA-256');
  return cert;
}

const pem = (der: ArrayBuffer) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** A test CSCA and a document signer it issued. `cscaName` lets a test make a look-alike authority. */
export async function makeAuthority(cscaName = 'Test CSCA Viet Nam (synthetic)'): Promise<Authority> {
  const cscaPair = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const dsPair = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csca = await certificate(cscaName, cscaName, 1, cscaPair.publicKey, cscaPair.privateKey, true);
  const ds = await certificate(
    'Test Document Signer (synthetic)',
    cscaName,
    2,
    dsPair.publicKey,
    cscaPair.privateKey,
    false,
  );
  return {
    cscaPem: pem(csca.toSchema().toBER(false)),
    csca,
    cscaKey: cscaPair.privateKey,
    ds,
    dsKey: dsPair.privateKey,
  };
}

/** The LDSSecurityObject (SHA-256) over the given data groups. */
function ldsSecurityObject(dgs: Array<[number, Buffer]>): ArrayBuffer {
  return new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.16.840.1.101.3.4.2.1' })] }),
      new asn1js.Sequence({
        value: dgs.map(
          ([n, bytes]) =>
            new asn1js.Sequence({
              value: [
                new asn1js.Integer({ value: n }),
                new asn1js.OctetString({ valueHex: createHash('sha256').update(bytes).digest() }),
              ],
            }),
        ),
      }),
    ],
  }).toBER(false);
}

async function sod(authority: Authority, dgs: Array<[number, Buffer]>): Promise<Buffer> {
  const content = ldsSecurityObject(dgs);
  const digest = createHash('sha256').update(Buffer.from(content)).digest();
  const signed = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID_LDS_SECURITY_OBJECT,
      eContent: new asn1js.OctetString({ valueHex: content }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: authority.ds.issuer, serialNumber: authority.ds.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.3',
              values: [new asn1js.ObjectIdentifier({ value: OID_LDS_SECURITY_OBJECT })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: digest })],
            }),
          ],
        }),
      }),
    ],
    certificates: [authority.ds],
  });
  await signed.sign(authority.dsKey, 0, 'SHA-256');
  const info = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signed.toSchema(true) });
  return tlv(EF.SOD.tag, Buffer.from(info.toSchema().toBER(false)));
}

export const SYNTHETIC_CHIP_PERSON: MrzPerson = {
  id: '096190012345',
  birth: '900315',
  sex: 'F',
  expiry: '300315',
  surname: 'NGUYEN',
  given: 'THI ANH TUYET',
};

export interface CardOptions {
  person?: MrzPerson;
  fullName?: string;
  residence?: string;
  /** Changes DG13 after the SOD was signed (a tampered card). */
  tamperDg13?: boolean;
}

/** A chip image signed by `authority`, laid out as a Căn cước chip (DG1, DG13, SOD). */
export async function makeCardImage(authority: Authority, opts: CardOptions = {}): Promise<CardImage> {
  const p = opts.person ?? SYNTHETIC_CHIP_PERSON;
  const mrz = syntheticMrz(p);
  const dg1 = tlv(EF.DG1.tag, tlv(0x5f1f, Buffer.from(mrz.join(''), 'latin1')));
  const dmy = (yymmdd: string, century: number) =>
    `${yymmdd.slice(4, 6)}/${yymmdd.slice(2, 4)}/${century + Number(yymmdd.slice(0, 2))}`;
  const fields = {
    1: p.id,
    2: opts.fullName ?? 'Nguyễn Thị Ánh Tuyết',
    3: dmy(p.birth, Number(p.birth.slice(0, 2)) > 50 ? 1900 : 2000),
    4: p.sex === 'F' ? 'Nữ' : 'Nam',
    5: 'Việt Nam',
    6: 'Kinh',
    7: 'Không',
    8: 'Phường 5, Thành phố Cà Mau, Cà Mau',
    9: opts.residence ?? 'Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau',
    10: 'Nốt ruồi C:1cm trên trước mép trái',
    11: '20/04/2021',
    12: p.expiry === '991231' ? 'Không thời hạn' : dmy(p.expiry, 2000),
    15: '381234567',
  };
  const dg13 = encodeDg13(fields);
  const com = tlv(
    EF.COM.tag,
    Buffer.concat([
      tlv(0x5f01, Buffer.from('0107')),
      tlv(0x5f36, Buffer.from('040000')),
      tlv(0x5c, Buffer.from([EF.DG1.tag, EF.DG13.tag])),
    ]),
  );
  const signedSod = await sod(authority, [
    [1, dg1],
    [13, dg13],
  ]);
  const finalDg13 = opts.tamperDg13 ? encodeDg13({ ...fields, 9: 'Số 1, Đường Giả Mạo, Hà Nội' }) : dg13;
  return {
    files: new Map([
      [EF.COM.fid, com],
      [EF.DG1.fid, dg1],
      [EF.DG13.fid, finalDg13],
      [EF.SOD.fid, signedSod],
    ]),
    mrz,
    mrzKey: { documentNumber: p.id.slice(3), birthDate: p.birth, expiryDate: p.expiry },
  };
}
