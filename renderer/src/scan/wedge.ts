/**
 * Tells a keyboard-wedge scanner from a person typing. A USB HID scanner "types" the code as a
 * burst of keystrokes a few milliseconds apart and ends it with Enter; people type 100 ms or more
 * apart. Pure (fed with key, time) so it is tested without a browser.
 */
export interface WedgeOptions {
  /** Longest gap between keystrokes of one scan. */
  maxInterKeyMs: number;
  /** Fewer characters than this ending in Enter/Tab is typing (or a very short code we ignore). */
  minLength: number;
}
export const DEFAULT_WEDGE: WedgeOptions = { maxInterKeyMs: 35, minLength: 6 };

export interface KeyStroke {
  key: string;
  time: number;
  /** Auto-repeat of a held key is as fast as a scanner: never part of a scan. */
  repeat?: boolean;
  /** A chord (Ctrl/Alt/Meta) or an IME composition is a person, not a scanner. */
  modified?: boolean;
}

export type WedgeStep =
  /** This key may open a burst: the caller should remember what the focused field held. */
  | { type: 'start' }
  | { type: 'char' }
  /** A complete scan: the caller swallows the Enter/Tab and undoes what the burst typed. */
  | { type: 'scan'; text: string }
  | { type: 'none' };

export class WedgeDetector {
  #buffer = '';
  #last = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  get pending(): number {
    return this.#buffer.length;
  }

  feed(k: KeyStroke): WedgeStep {
    // Shift is pressed by scanners for capitals; it carries no character and no timing meaning.
    if (k.key === 'Shift') return { type: 'none' };
    const gap = k.time - this.#last;
    if (k.repeat || k.modified) return this.#reset();
    // Scanners end a read with Enter by default; some are set to Tab (to hop form fields).
    if (k.key === 'Enter' || k.key === 'Tab') {
      const text = this.#buffer;
      const fast = gap <= this.options.maxInterKeyMs * 2;
      this.#reset();
      return text.length >= this.options.minLength && fast ? { type: 'scan', text } : { type: 'none' };
    }
    if (k.key.length !== 1 && !/^\p{L}\p{M}*$/u.test(k.key)) return this.#reset();
    if (this.#buffer.length > 0 && gap <= this.options.maxInterKeyMs) {
      this.#buffer += k.key;
      this.#last = k.time;
      return { type: 'char' };
    }
    this.#buffer = k.key;
    this.#last = k.time;
    return { type: 'start' };
  }

  #reset(): WedgeStep {
    this.#buffer = '';
    this.#last = -Infinity;
    return { type: 'none' };
  }
}
