import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAuthority, makeCardImage, type Authority, type CardImage } from './cardimage.node.ts';
import { EmulatedCard } from './emulator.node.ts';
import { parseCscaPem } from './pa.node.ts';
import { PcscIdReader } from './pcsc.node.ts';
import type { IdReaderStatus } from './reader.ts';
import { PrivatePcscd, VirtualCardSlot } from './vpcd.node.ts';

/**
 * The chip reader against the real PC/SC stack: a private pcscd (started here, on its own
 * socket), vsmartcard's virtual reader vpcd, and our emulated Căn cước card on loopback. A
 * machine without pcscd or vpcd fails here with the apt line to run — it is never skipped.
 */

const slot = new VirtualCardSlot();
let pcscd = new PrivatePcscd();
let authority: Authority;
let good: CardImage;
let reader: PcscIdReader;
const statuses: IdReaderStatus[] = [];

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms)
      throw new Error(`timed out waiting for ${what}; pcscd log:\n${pcscd.log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  authority = await makeAuthority();
  good = await makeCardImage(authority);
  await slot.choosePort();
  await pcscd.start(slot.port);
  const cscas = parseCscaPem(authority.cscaPem);
  reader = new PcscIdReader('pcsc:Virtual PCD', 'Virtual PCD', { cscas: () => cscas });
  reader.onStatus((s) => statuses.push(s));
  await reader.start();
  await until(() => reader.status().state === 'ready', 'the reader to be ready');
}, 30_000);

afterAll(async () => {
  await reader?.close();
  await slot.close();
  await pcscd.stop();
});

async function place(image: CardImage): Promise<EmulatedCard> {
  const card = new EmulatedCard(image.files, image.mrzKey);
  await slot.insert(card);
  await until(() => reader.status().card, 'the card to be seen');
  return card;
}
async function lift(): Promise<void> {
  slot.remove();
  await until(() => !reader.status().card, 'the card to be gone');
}

describe('PC/SC chip reader (pcscd + vpcd + emulated card)', () => {
  it('lists the virtual reader and no card', () => {
    expect(reader.status()).toMatchObject({ state: 'ready', card: false });
    expect(reader.status().readers.some((n) => n.startsWith('Virtual PCD'))).toBe(true);
  });

  it('no card on the reader: NO_CARD with a message', async () => {
    const r = await reader.read(good.mrzKey);
    expect(r).toMatchObject({ ok: false, code: 'NO_CARD' });
  });

  it('a good card reads and passes passive authentication; the card presence is evented', async () => {
    await place(good);
    const r = await reader.read(good.mrzKey);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) {
      expect(r.verified).toBe(true);
      expect(r.person.id).toBe('096190012345');
      expect(r.person.fullName).toBe('Nguyễn Thị Ánh Tuyết');
      expect(r.phases.accessMs).toBeGreaterThan(0);
    }
    expect(statuses.some((s) => s.card)).toBe(true);
    await lift();
  });

  it('a card whose DG13 was changed after signing fails passive authentication', async () => {
    const tampered = await makeCardImage(authority, { tamperDg13: true });
    await place(tampered);
    const r = await reader.read(tampered.mrzKey);
    expect(r).toMatchObject({ ok: false, code: 'PA_HASH' });
    if (!r.ok) expect(r.message.vi).toMatch(/không được chấp nhận/);
    await lift();
  });

  it('a wrong MRZ key fails access with a clear message', async () => {
    await place(good);
    const r = await reader.read({ ...good.mrzKey, expiryDate: '300316' });
    expect(r).toMatchObject({ ok: false, code: 'ACCESS_DENIED' });
    if (!r.ok) expect(r.message.vi).toContain('không khớp');
    await lift();
  });

  it('a card lifted mid-read ends that read with CARD_REMOVED; placed again, it reads', async () => {
    await place(good);
    slot.pullAfterReads = 3;
    const r = await reader.read(good.mrzKey);
    expect(r).toMatchObject({ ok: false, code: 'CARD_REMOVED' });
    if (!r.ok) expect(r.message.en).toContain('lifted');
    await until(() => !reader.status().card, 'the lifted card to be gone');
    expect(reader.status().state).toBe('ready');
    await place(good);
    const again = await reader.read(good.mrzKey);
    expect(again.ok, JSON.stringify(again)).toBe(true);
    await lift();
  }, 30_000);

  it('pcscd going away is an error, retried; when it is back the reader is ready and reads again', async () => {
    await pcscd.stop();
    await until(() => reader.status().state === 'error', 'the error state');
    expect(reader.status().detail).toMatch(/pcscd/);
    pcscd = new PrivatePcscd();
    await pcscd.start(slot.port);
    await until(() => reader.status().state === 'ready', 'ready again');
    expect(statuses.some((s) => s.state === 'reconnecting')).toBe(true);
    await place(good);
    const r = await reader.read(good.mrzKey);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    await lift();
  }, 40_000);
});
