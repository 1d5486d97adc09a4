import { describe, expect, it } from 'vitest';
import {
  bacChallengeResponse,
  bacFinish,
  bacKeys,
  mrzInformation,
  protect,
  sessionFrom,
  unprotect,
} from './bac.node.ts';
import { makeAuthority, makeCardImage } from './cardimage.node.ts';
import { EmulatedCard } from './emulator.node.ts';
import { parseCscaPem } from './pa.node.ts';
import { readChip } from './read.node.ts';

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('BAC and secure messaging against the ICAO 9303-11 worked example (Appendix D)', () => {
  const key = { documentNumber: 'L898902C', birthDate: '690806', expiryDate: '940623' };
  it('derives MRZ_information and the BAC keys', () => {
    expect(mrzInformation(key)).toBe('L898902C<369080619406236');
    const k = bacKeys(key);
    expect(k.kEnc.toString('hex').toUpperCase()).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
    expect(k.kMac.toString('hex').toUpperCase()).toBe('7962D9ECE03D1ACD4C76089DCE131543');
  });
  it('builds E.IFD ‖ M.IFD and the session keys and SSC', () => {
    const k = bacKeys(key);
    const rndIc = h('4608F91988702212');
    const cr = bacChallengeResponse(k, rndIc, h('781723860C06C226'), h('0B795240CB7049B01C19B33E32804F0B'));
    expect(cr.data.toString('hex').toUpperCase()).toBe(
      '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7',
    );
    const s = sessionFrom(cr.kIfd, h('0B4F80323EB3191CB04970CB4052790B'), rndIc, cr.rndIfd);
    expect(s.ksEnc.toString('hex').toUpperCase()).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
    expect(s.ksMac.toString('hex').toUpperCase()).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8');
    expect(s.ssc.toString('hex').toUpperCase()).toBe('887022120C06C226');
    // Protected SELECT EF.COM, and the card's answer.
    expect(
      protect(s, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: h('011E') })
        .toString('hex')
        .toUpperCase(),
    ).toBe('0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800');
    expect(unprotect(s, h('990290008E08FA855A5D4C50A8ED9000')).sw).toBe(0x9000);
  });
  it('the card answer of the worked example opens the same session', () => {
    const k = bacKeys(key);
    const answer = h('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449');
    const s = bacFinish(k, answer, h('4608F91988702212'), h('781723860C06C226'), h('0B795240CB7049B01C19B33E32804F0B'));
    expect(s.ksEnc.toString('hex').toUpperCase()).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
  });
});

describe('readChip against the emulated card, in process', async () => {
  const authority = await makeAuthority();
  const cscas = parseCscaPem(authority.cscaPem);
  const tx = (card: EmulatedCard) => async (apdu: Buffer) => card.process(apdu);

  it('a good card reads and passes passive authentication', async () => {
    const image = await makeCardImage(authority);
    const r = await readChip(tx(new EmulatedCard(image.files, image.mrzKey)), image.mrzKey, { cscas });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.person).toMatchObject({
      id: '096190012345',
      fullName: 'Nguyễn Thị Ánh Tuyết',
      birthDate: '1990-03-15',
      sex: 'female',
      oldId: '381234567',
    });
    expect(r.mrz.personalId).toBe('096190012345');
    expect(r.signer).toContain('Test Document Signer');
  });
  it('a tampered DG13 fails passive authentication (PA_HASH)', async () => {
    const image = await makeCardImage(authority, { tamperDg13: true });
    const r = await readChip(tx(new EmulatedCard(image.files, image.mrzKey)), image.mrzKey, { cscas });
    expect(r).toMatchObject({ ok: false, code: 'PA_HASH' });
    if (!r.ok) expect(r.message.vi).toContain('bị thay đổi');
  });
  it('a card signed by another authority with the same name is untrusted', async () => {
    const rogue = await makeAuthority();
    const image = await makeCardImage(rogue);
    const r = await readChip(tx(new EmulatedCard(image.files, image.mrzKey)), image.mrzKey, { cscas });
    expect(r).toMatchObject({ ok: false, code: 'PA_UNTRUSTED' });
  });
  it('no CSCA list: never verified', async () => {
    const image = await makeCardImage(authority);
    const r = await readChip(tx(new EmulatedCard(image.files, image.mrzKey)), image.mrzKey, { cscas: [] });
    expect(r).toMatchObject({ ok: false, code: 'PA_NO_CSCA' });
  });
  it('a wrong MRZ key is refused by the card (ACCESS_DENIED)', async () => {
    const image = await makeCardImage(authority);
    const r = await readChip(
      tx(new EmulatedCard(image.files, image.mrzKey)),
      { ...image.mrzKey, birthDate: '900316' },
      { cscas },
    );
    expect(r).toMatchObject({ ok: false, code: 'ACCESS_DENIED' });
    if (!r.ok) expect(r.message.en).toContain('do not match');
  });
});
