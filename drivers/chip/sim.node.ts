import type * as pkijs from 'pkijs';
import { makeAuthority, makeCardImage, type Authority, type CardOptions } from './cardimage.node.ts';
import { EmulatedCard } from './emulator.node.ts';
import { parseCscaPem } from './pa.node.ts';
import { readChip } from './read.node.ts';
import { BaseIdReader, type MrzKeyInput } from './reader.ts';
import { chipMessage, type ChipRead } from './types.ts';

/**
 * `KIOSK_IDREADER=sim`: an emulated card read in process through the same BAC, secure messaging
 * and passive authentication as a real one. The sim makes its own synthetic CSCA; it trusts the
 * configured CSCA list plus that one (a demo never passes for a real card: the signer's name says
 * "synthetic"). `insert()` / `remove()` stand for placing and lifting the card.
 */
export class SimIdReader extends BaseIdReader {
  readonly kind = 'sim' as const;
  #authority: Authority | null = null;
  #card: EmulatedCard | null = null;

  constructor(
    uri: string,
    private readonly cscas: () => readonly pkijs.Certificate[],
  ) {
    super(uri);
  }

  async start(): Promise<void> {
    this.setStatus({ state: 'opening' });
    this.#authority ??= await makeAuthority();
    this.setStatus({ state: 'ready', detail: null, readers: ['Simulated reader'], card: this.#card !== null });
  }

  async insert(opts: CardOptions = {}): Promise<{ mrz: [string, string, string] }> {
    this.#authority ??= await makeAuthority();
    const image = await makeCardImage(this.#authority, opts);
    this.#card = new EmulatedCard(image.files, image.mrzKey);
    this.setStatus({ card: true });
    return { mrz: image.mrz };
  }

  remove(): void {
    this.#card = null;
    this.setStatus({ card: false });
  }

  async read(key: MrzKeyInput): Promise<ChipRead> {
    const card = this.#card;
    if (!card || !this.#authority) return { ok: false, code: 'NO_CARD', message: chipMessage('NO_CARD'), phases: {} };
    card.reset();
    const own = parseCscaPem(this.#authority.cscaPem);
    return readChip(async (apdu) => card.process(apdu), key, { cscas: [...this.cscas(), ...own] });
  }

  async close(): Promise<void> {
    this.setStatus({ state: 'closed', readers: [], card: false });
  }
}
