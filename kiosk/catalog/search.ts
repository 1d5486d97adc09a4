import { foldWords } from './fold.ts';

/** What the index needs of a procedure (the rest stays in SQLite). */
export interface IndexEntry {
  code: string;
  name: string;
  keywords: readonly string[];
  fieldId: string;
  level: string;
  /** Catalog order: the tie-break after score and name length. */
  ord: number;
  /** A procedure citizens ask for every day: first among equal matches. */
  common?: boolean;
}

export interface SearchOptions {
  fieldId?: string | undefined;
  level?: string | undefined;
  limit?: number;
}

export interface SearchHit {
  code: string;
  score: number;
}

interface Row {
  entry: IndexEntry;
  /** ` name words ` folded, padded with spaces so " word" finds a word start. */
  name: string;
  /** ` keyword words | keyword words ` folded. */
  keywords: string;
  code: string;
}

/** Ranks: an exact code, then the name itself, the name starting with the query… */
export const SCORE = {
  code: 10_000,
  nameExact: 5_000,
  namePrefix: 3_000,
  namePhrase: 2_000,
  keywordPhrase: 1_500,
  allInName: 1_000,
  mixed: 500,
  /** Added for a common procedure: above any rarer one matched the same way, below a better kind of match. */
  common: 400,
} as const;

/**
 * The catalog search index: every name and keyword pre-folded once, queries folded the same
 * way. A sorted vocabulary of folded words with the rows each appears in finds the rows for
 * the longest query word (a prefix, as the citizen is still typing) by binary search; only
 * those rows are checked for the other words and ranked. Measured at 10,000 procedures in
 * bench/search.bench.ts. Exact phrases and name matches rank first.
 */
export class CatalogIndex {
  readonly #rows: Row[];
  /** Distinct folded words, sorted, and the rows (ascending) each appears in. */
  readonly #words: string[];
  readonly #postings: Int32Array[];
  /** Scratch marks for collecting rows without repeats (stamped per call). */
  readonly #seen: Int32Array;
  #stamp = 0;

  constructor(entries: readonly IndexEntry[]) {
    if (entries.length > MAX_ROWS)
      throw new Error(`catalog index holds at most ${MAX_ROWS} procedures, got ${entries.length}`);
    this.#rows = [...entries]
      .sort((a, b) => a.ord - b.ord)
      .map((entry) => ({
        entry,
        name: ` ${foldWords(entry.name)} `,
        keywords: ` ${entry.keywords.map(foldWords).join(' | ')} `,
        code: entry.code.toLowerCase(),
      }));
    const postings = new Map<string, number[]>();
    this.#rows.forEach((row, i) => {
      for (const w of new Set(`${row.name} ${row.keywords}`.split(' '))) {
        if (!w || w === '|') continue;
        const list = postings.get(w);
        if (list) list.push(i);
        else postings.set(w, [i]);
      }
    });
    this.#words = [...postings.keys()].sort();
    this.#postings = this.#words.map((w) => Int32Array.from(postings.get(w)!));
    this.#seen = new Int32Array(this.#rows.length);
  }

  get size(): number {
    return this.#rows.length;
  }

  /** The vocabulary range of words starting with `token`, and how many postings it holds. */
  #range(token: string): { from: number; to: number; postings: number } {
    let lo = 0;
    let hi = this.#words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#words[mid]! < token) lo = mid + 1;
      else hi = mid;
    }
    let to = lo;
    let postings = 0;
    while (to < this.#words.length && this.#words[to]!.startsWith(token)) postings += this.#postings[to++]!.length;
    return { from: lo, to, postings };
  }

  /** Rows with a word in the range, without repeats. */
  #rowsIn(range: { from: number; to: number }): number[] {
    const stamp = ++this.#stamp;
    const out: number[] = [];
    for (let w = range.from; w < range.to; w++) {
      for (const row of this.#postings[w]!) {
        if (this.#seen[row] !== stamp) {
          this.#seen[row] = stamp;
          out.push(row);
        }
      }
    }
    return out;
  }

  /** Ranked hits (best first) and how many matched in all. */
  search(query: string, options: SearchOptions = {}): { total: number; hits: SearchHit[] } {
    const q = foldWords(query);
    if (q === '') return { total: 0, hits: [] };
    const tokens = q.split(' ');
    const phrase = ` ${q}`;
    const limit = options.limit ?? 50;
    // A code-looking query may match codes rather than words: then every row is a candidate.
    // Otherwise the rarest query word picks the rows to look at.
    const byCode = tokens.some((t) => /^\d+\./.test(t));
    let candidates: number[];
    if (byCode) candidates = this.#rows.map((_, i) => i);
    else {
      const ranges = tokens.map((t) => this.#range(t));
      candidates = this.#rowsIn(ranges.reduce((a, b) => (b.postings < a.postings ? b : a)));
    }
    // Everything compared per row is built once per query, not once per row.
    const needles = tokens.map((t) => ` ${t}`);
    const exact = `${phrase} `;
    const codeDotted = `${q}.`;
    const codeTokens = tokens.map((t) => t.length >= 3);
    const keys = new Float64Array(candidates.length);
    let total = 0;
    for (const i of candidates) {
      const row = this.#rows[i]!;
      const e = row.entry;
      if (options.fieldId && e.fieldId !== options.fieldId) continue;
      if (options.level && e.level !== options.level) continue;
      let score = 0;
      if (row.code === q || row.code.startsWith(codeDotted)) score = SCORE.code;
      else {
        let inName = 0;
        let matched = true;
        for (let k = 0; k < needles.length; k++) {
          if (row.name.includes(needles[k]!)) inName++;
          else if (!row.keywords.includes(needles[k]!) && !(codeTokens[k] && row.code.startsWith(tokens[k]!))) {
            matched = false;
            break;
          }
        }
        if (!matched) continue;
        if (row.name === exact) score = SCORE.nameExact;
        else if (row.name.startsWith(phrase)) score = SCORE.namePrefix;
        else if (row.name.includes(phrase)) score = SCORE.namePhrase;
        else if (row.keywords.includes(phrase)) score = SCORE.keywordPhrase;
        else if (inName === tokens.length) score = SCORE.allInName;
        else score = SCORE.mixed + inName;
        // A phrase that ends on a whole word beats one that ends mid-word.
        if (score >= SCORE.namePhrase ? row.name.includes(exact) : row.keywords.includes(exact)) score += 100;
        if (e.common) score += SCORE.common;
      }
      keys[total++] = sortKey(score, row.name.length, i);
    }
    // Best first: one numeric sort of packed keys, no objects per hit (a first letter matches thousands).
    const best = keys.subarray(0, total).sort().reverse().subarray(0, limit);
    return {
      total,
      hits: Array.from(best, (key) => ({ code: this.#rows[rowOf(key)]!.entry.code, score: scoreOf(key) })),
    };
  }
}

/*
 * A hit packed in one number, larger = better: score (desc), then name length (asc, shorter
 * names first), then row number (asc: rows are kept in catalog order). Exact up to 2^53.
 */
const ROW_BITS = 2 ** 17;
const LEN_BITS = 2 ** 9;
export const MAX_ROWS = ROW_BITS - 1;
const sortKey = (score: number, nameLength: number, row: number) =>
  (score * LEN_BITS + (LEN_BITS - 1 - Math.min(nameLength, LEN_BITS - 1))) * ROW_BITS + (ROW_BITS - 1 - row);
const rowOf = (key: number) => ROW_BITS - 1 - (key % ROW_BITS);
const scoreOf = (key: number) => Math.floor(key / ROW_BITS / LEN_BITS);
