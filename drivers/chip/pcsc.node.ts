import { createRequire } from 'node:module';
import type * as pkijs from 'pkijs';
import type { MrzKey } from './bac.node.ts';
import { CardRemovedError, readChip } from './read.node.ts';
import { BaseIdReader, type MrzKeyInput } from './reader.ts';
import { PCSCD_SOCKET, pcscdAnswers } from './vpcd.node.ts';
import { chipMessage, type ChipRead } from './types.ts';

type PcscLite = ReturnType<typeof import('@pokusew/pcsclite')>;
type CardReader = Parameters<Extract<Parameters<PcscLite['on']>, ['reader', unknown]>[1]>[0];

const require = createRequire(import.meta.url);

export interface PcscOptions {
  /** The CSCA list, loaded by the caller (kiosk config `chipCscaFile`). */
  cscas: () => readonly pkijs.Certificate[];
  retryMs?: { first: number; max: number };
}

/**
 * A PC/SC reader through pcscd and @pokusew/pcsclite. pcscd down or no reader: `error`, retried
 * (200 ms doubling to 2 s) so a reader plugged in later, or pcscd restarted, works without a
 * restart of the kiosk. The card is connected for one read at a time and reset after it, so no
 * session outlives the read; a card lifted mid-read ends that read with CARD_REMOVED and the next
 * card placed is read afresh.
 */
export class PcscIdReader extends BaseIdReader {
  readonly kind = 'pcsc' as const;
  #pcsc: PcscLite | null = null;
  #readers = new Map<string, { reader: CardReader; present: boolean }>();
  #closed = true;
  #retry: NodeJS.Timeout | null = null;
  #delay: number;
  #busy = false;

  constructor(
    uri: string,
    private readonly wanted: string | null,
    private readonly opts: PcscOptions,
  ) {
    super(uri);
    this.#delay = opts.retryMs?.first ?? 200;
  }

  async start(): Promise<void> {
    this.#closed = false;
    this.setStatus({ state: 'opening', detail: null });
    this.#open();
  }

  #matches(name: string): boolean {
    return this.wanted === null || name === this.wanted || name.startsWith(this.wanted);
  }

  #publish(): void {
    const names = [...this.#readers.keys()];
    const ours = names.filter((n) => this.#matches(n));
    const card = ours.some((n) => this.#readers.get(n)!.present);
    if (ours.length === 0)
      this.setStatus({
        state: 'error',
        detail: this.wanted ? `reader "${this.wanted}" not found` : 'no PC/SC reader',
        readers: names,
        card: false,
      });
    else this.setStatus({ state: 'ready', detail: null, readers: names, card });
  }

  #open(): void {
    if (this.#closed) return;
    // @pokusew/pcsclite spins in its constructor until pcscd answers, blocking the event loop:
    // so a context is made only once the pcscd socket accepts a connection.
    void pcscdAnswers().then((up) => {
      if (this.#closed || this.#pcsc) return;
      // pcsclite's own variable (its client library reads it), not the kiosk's configuration.
      // eslint-disable-next-line no-restricted-properties
      if (!up) this.#fail(`pcscd not running (${process.env.PCSCLITE_CSOCK_NAME || PCSCD_SOCKET})`);
      else this.#context();
    });
  }

  #context(): void {
    let pcsc: PcscLite;
    try {
      const factory = require('@pokusew/pcsclite') as typeof import('@pokusew/pcsclite');
      pcsc = factory();
    } catch (err) {
      this.#fail(`PC/SC unavailable: ${(err as Error).message}`);
      return;
    }
    this.#pcsc = pcsc;
    pcsc.on('error', (err: unknown) => this.#fail(`pcscd: ${err instanceof Error ? err.message : String(err)}`));
    pcsc.on('reader', (reader) => {
      this.#readers.set(reader.name, { reader, present: false });
      this.#delay = this.opts.retryMs?.first ?? 200;
      reader.on('status', (status) => {
        const entry = this.#readers.get(reader.name);
        if (!entry) return;
        entry.present = Boolean(status.state & reader.SCARD_STATE_PRESENT) && !(status.state & reader.SCARD_STATE_MUTE);
        this.#publish();
      });
      reader.on('error', () => {
        // A status error follows a card or reader going away; 'end' or the next status says which.
      });
      reader.on('end', () => {
        this.#readers.delete(reader.name);
        this.#publish();
      });
      this.#publish();
    });
    // No reader at all yet: say so after pcscd had a moment to list them.
    setTimeout(() => {
      if (this.#pcsc === pcsc && this.#readers.size === 0) this.#publish();
    }, 500).unref();
  }

  #fail(detail: string): void {
    this.#teardown();
    if (this.#closed) return;
    this.setStatus({ state: 'error', detail, readers: [], card: false });
    const max = this.opts.retryMs?.max ?? 2000;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.#closed) return;
      this.setStatus({ state: 'reconnecting', detail });
      this.#open();
    }, this.#delay);
    this.#delay = Math.min(this.#delay * 2, max);
  }

  #teardown(): void {
    const pcsc = this.#pcsc;
    this.#pcsc = null;
    for (const { reader } of this.#readers.values()) {
      reader.removeAllListeners();
      reader.on('error', () => {});
      try {
        reader.close();
      } catch {
        // already gone
      }
    }
    this.#readers.clear();
    if (pcsc) {
      pcsc.removeAllListeners();
      pcsc.on('error', () => {});
      try {
        pcsc.close();
      } catch {
        // already gone
      }
    }
  }

  async read(key: MrzKeyInput): Promise<ChipRead> {
    const entry = [...this.#readers.values()].find((e) => this.#matches(e.reader.name) && e.present);
    if (!entry) return { ok: false, code: 'NO_CARD', message: chipMessage('NO_CARD'), phases: {} };
    if (this.#busy) return { ok: false, code: 'READ_FAILED', message: chipMessage('READ_FAILED'), phases: {} };
    this.#busy = true;
    const { reader } = entry;
    try {
      let protocol: number;
      try {
        protocol = await new Promise<number>((resolve, reject) =>
          reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE }, (err, p) =>
            err ? reject(err as Error) : resolve(p),
          ),
        );
      } catch {
        return { ok: false, code: 'CARD_REMOVED', message: chipMessage('CARD_REMOVED'), phases: {} };
      }
      const transmit = (apdu: Buffer) =>
        new Promise<Buffer>((resolve, reject) =>
          reader.transmit(apdu, 1024, protocol, (err, response) =>
            err
              ? reject(new CardRemovedError(`transmit: ${(err as Error).message ?? String(err)}`))
              : response.length < 2
                ? reject(new CardRemovedError('empty response'))
                : resolve(response),
          ),
        );
      const result = await readChip(transmit, key satisfies MrzKey, { cscas: this.opts.cscas() });
      if (!result.ok && result.code === 'READ_FAILED' && (await this.#cardGone(entry))) {
        // The read broke because the card left the field: say that, so the citizen places it again.
        return { ...result, code: 'CARD_REMOVED', message: chipMessage('CARD_REMOVED') };
      }
      return result;
    } finally {
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_RESET_CARD, () => resolve()));
      this.#busy = false;
    }
  }

  /** Waits a moment for pcscd to report the card gone (it polls the reader). */
  async #cardGone(entry: { present: boolean }): Promise<boolean> {
    for (let i = 0; i < 10 && entry.present; i++) await new Promise((r) => setTimeout(r, 100));
    return !entry.present;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#teardown();
    this.setStatus({ state: 'closed', detail: null, readers: [], card: false });
  }
}
