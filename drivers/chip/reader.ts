import { z } from 'zod';
import { Listeners } from '../scanner/types.ts';
import type { ChipRead } from './types.ts';

/**
 * One interface for the chip reader, like the scanners': lifecycle closed → opening → ready →
 * error → reconnecting → ready, status events, and whether a card is on the reader. Pure.
 */
export type IdReaderState = 'closed' | 'opening' | 'ready' | 'error' | 'reconnecting';

export interface IdReaderStatus {
  state: IdReaderState;
  detail: string | null;
  since: Date;
  /** Readers the PC/SC service lists (names only). */
  readers: string[];
  /** A card is on the reader we use. */
  card: boolean;
}

/** What BAC needs from the back of the card (YYMMDD dates as printed in the MRZ). */
export const MrzKeyInput = z
  .object({
    documentNumber: z.string().regex(/^[A-Z0-9<]{1,9}$/),
    birthDate: z.string().regex(/^\d{6}$/),
    expiryDate: z.string().regex(/^\d{6}$/),
  })
  .strict();
export type MrzKeyInput = z.infer<typeof MrzKeyInput>;

export interface IdReader {
  readonly kind: 'pcsc' | 'sim';
  readonly uri: string;
  start(): Promise<void>;
  close(): Promise<void>;
  status(): IdReaderStatus;
  onStatus(listener: (status: IdReaderStatus) => void): () => void;
  /** Reads and verifies the card on the reader; never throws. */
  read(key: MrzKeyInput): Promise<ChipRead>;
}

export abstract class BaseIdReader implements IdReader {
  abstract readonly kind: 'pcsc' | 'sim';
  readonly #listeners = new Listeners<IdReaderStatus>();
  #status: IdReaderStatus = { state: 'closed', detail: null, since: new Date(), readers: [], card: false };
  constructor(readonly uri: string) {}
  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  abstract read(key: MrzKeyInput): Promise<ChipRead>;
  status(): IdReaderStatus {
    return this.#status;
  }
  onStatus(listener: (status: IdReaderStatus) => void): () => void {
    return this.#listeners.add(listener);
  }
  protected setStatus(patch: Partial<Omit<IdReaderStatus, 'since'>>): void {
    const next = { ...this.#status, ...patch };
    const same =
      next.state === this.#status.state &&
      next.detail === this.#status.detail &&
      next.card === this.#status.card &&
      next.readers.join('\n') === this.#status.readers.join('\n');
    if (same) return;
    this.#status = { ...next, since: next.state !== this.#status.state ? new Date() : this.#status.since };
    this.#listeners.emit(this.#status);
  }
}

/** `KIOSK_IDREADER`: `pcsc:` (any reader), `pcsc:<reader name or its start>`, `sim`, or `none`. */
export type IdReaderConfig = { kind: 'pcsc'; reader: string | null } | { kind: 'sim' } | { kind: 'none' };

export function parseIdReaderUri(uri: string): { ok: true; config: IdReaderConfig } | { ok: false; message: string } {
  const trimmed = uri.trim();
  if (trimmed === 'sim' || trimmed === 'none') return { ok: true, config: { kind: trimmed } };
  if (trimmed === 'pcsc' || trimmed.startsWith('pcsc:')) {
    const name = decodeURIComponent(trimmed.slice(5)).trim();
    if (name.length > 200 || /[\u0000-\u001f]/.test(name))
      return { ok: false, message: 'reader name too long or with control characters' };
    return { ok: true, config: { kind: 'pcsc', reader: name || null } };
  }
  return {
    ok: false,
    message: `unknown ID card reader "${trimmed.slice(0, 80)}" (pcsc:, pcsc:<reader name>, sim, none)`,
  };
}
