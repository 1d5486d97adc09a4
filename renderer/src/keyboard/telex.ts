/**
 * Vietnamese input composition (Telex and VNI) for the on-screen keyboard. Pure: text and
 * caret in, text and caret out. No maintained engine is published on npm, so this is ours.
 *
 * The word around the caret is parsed into letters (base, vowel modifier, tone); a key either
 * modifies that word (circumflex, breve, horn, đ, tone) or is inserted literally, and then the
 * tone is placed again by the rules of the chosen style, so "hoas" + "n" gives "hoán" and
 * typing a tone key twice gives the key back ("ss" → "s"), as Unikey does.
 */

export type InputMethod = 'telex' | 'vni' | 'plain';
/** "old": hòa, thúy (tone on the first vowel of an open oa/oe/uy); "new": hoà, thuý. */
export type ToneStyle = 'old' | 'new';

export interface EditState {
  text: string;
  /** Caret as an index into `text` (UTF-16 units, always on a character boundary; text is NFC). */
  caret: number;
  /**
   * The keys typed for the word that ends at the caret, as Unikey keeps them: when composing
   * them gives no Vietnamese syllable ("Kiosk" → "Kiók"), the word shows the keys as typed.
   * Optional: a caller that does not keep it (a physical keyboard typed in between) starts
   * again from the word's text.
   */
  keys?: string;
}

export interface ComposeOptions {
  method: InputMethod;
  style: ToneStyle;
}

type Mod = '' | 'hat' | 'breve' | 'horn';
/** 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng (VNI numbering). */
type Tone = 0 | 1 | 2 | 3 | 4 | 5;

interface Letter {
  /** Lowercase base letter without marks ('đ' stays 'đ'). */
  base: string;
  upper: boolean;
  mod: Mod;
  tone: Tone;
}

const TONE_MARK: Record<Exclude<Tone, 0>, string> = { 1: '\u0301', 2: '\u0300', 3: '\u0309', 4: '\u0303', 5: '\u0323' };
const MARK_TONE: Record<string, Tone> = { '\u0301': 1, '\u0300': 2, '\u0309': 3, '\u0303': 4, '\u0323': 5 };
const MOD_MARK: Record<Exclude<Mod, ''>, string> = { hat: '\u0302', breve: '\u0306', horn: '\u031b' };
const MARK_MOD: Record<string, Mod> = { '\u0302': 'hat', '\u0306': 'breve', '\u031b': 'horn' };

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const isVowel = (l: Letter) => VOWELS.has(l.base);

/** Letters that make up a word: Latin letters with any Vietnamese marks, and đ. */
export function isWordChar(ch: string): boolean {
  return /^[a-zA-ZđĐ]$/.test(ch.normalize('NFD').charAt(0));
}

function parseChar(ch: string): Letter {
  const nfd = ch.normalize('NFD');
  const head = nfd.charAt(0);
  let mod: Mod = '';
  let tone: Tone = 0;
  for (const mark of nfd.slice(1)) {
    if (mark in MARK_MOD) mod = MARK_MOD[mark]!;
    else if (mark in MARK_TONE) tone = MARK_TONE[mark]!;
  }
  const lower = head.toLowerCase();
  return { base: lower, upper: head !== lower, mod, tone };
}

function renderLetter(l: Letter): string {
  const base = l.upper ? l.base.toUpperCase() : l.base;
  const marks = (l.mod ? MOD_MARK[l.mod] : '') + (l.tone ? TONE_MARK[l.tone] : '');
  return (base + marks).normalize('NFC');
}

const render = (letters: Letter[]) => letters.map(renderLetter).join('');
const chars = (s: string) => Array.from(s.normalize('NFC'));

/** Indices of the syllable's vowel nucleus, with "qu" and "gi" read as consonants. */
function nucleus(letters: Letter[]): number[] {
  let start = letters.findIndex(isVowel);
  if (start < 0) return [];
  let end = start;
  while (end + 1 < letters.length && isVowel(letters[end + 1]!)) end++;
  const first = letters[start]!;
  const prev = letters[start - 1];
  const hasNext = end > start;
  // "qu" + vowel: u belongs to the consonant; "gi" + vowel: i does (gia, giữ, but gì).
  if (
    hasNext &&
    prev &&
    ((prev.base === 'q' && first.base === 'u') || (prev.base === 'g' && first.base === 'i' && start === 1))
  )
    start++;
  const out: number[] = [];
  for (let i = start; i <= end; i++) out.push(i);
  return out;
}

/** Where the tone goes, by the rules of Vietnamese orthography in the given style. */
function tonePosition(letters: Letter[], style: ToneStyle): number {
  const v = nucleus(letters);
  if (v.length === 0) return -1;
  const last = v[v.length - 1]!;
  const closed = last < letters.length - 1;
  const modded = v.filter((i) => letters[i]!.mod !== '');
  if (modded.length > 0) return modded[modded.length - 1]!;
  if (v.length >= 3) return v[1]!;
  if (v.length === 2) {
    if (closed) return v[1]!;
    const pair = letters[v[0]!]!.base + letters[v[1]!]!.base;
    if (style === 'new' && (pair === 'oa' || pair === 'oe' || pair === 'uy')) return v[1]!;
    return v[0]!;
  }
  return v[0]!;
}

function currentTone(letters: Letter[]): Tone {
  for (const l of letters) if (l.tone) return l.tone;
  return 0;
}

function placeTone(letters: Letter[], tone: Tone, style: ToneStyle): Letter[] {
  const out = letters.map((l) => ({ ...l, tone: 0 as Tone }));
  if (tone === 0) return out;
  const at = tonePosition(out, style);
  if (at >= 0) out[at]!.tone = tone;
  else {
    // No vowel left to carry it (e.g. the vowel was deleted): the tone goes with it.
    return out;
  }
  return out;
}

const ONSETS = [
  '',
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gh',
  'gi',
  'h',
  'k',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'ngh',
  'nh',
  'p',
  'ph',
  'q',
  'qu',
  'r',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
];
const RHYMES = (
  'a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây ' +
  'e ec em en eng eo ep et ê êch êm ên ênh êp êt êu i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu ' +
  'o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt ' +
  'oe oen oeo oet oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt ' +
  'u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyp uyt uyu ' +
  'uôc uôi uôm uôn uông uôt ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu y yêm yên yêng yêt yêu'
).split(' ');

let prefixes: Set<string> | null = null;
/** Every beginning of a Vietnamese syllable without its tone (onset + rhyme, and each prefix of one). */
function syllablePrefixes(): Set<string> {
  if (prefixes) return prefixes;
  prefixes = new Set();
  for (const onset of ONSETS) {
    for (const rhyme of ['', ...RHYMES]) {
      const whole = Array.from(bare(onset + rhyme));
      for (let n = 0; n <= whole.length; n++) prefixes.add(whole.slice(0, n).join(''));
    }
  }
  return prefixes;
}

/**
 * Whether letters can be (the start of) a Vietnamese syllable: "tiê", "người" yes; "kió", "gôg"
 * no. Tones and vowel marks are left out (Telex lets them come later: "tiesng"), đ is kept.
 */
export function isVietnameseSyllablePrefix(word: string): boolean {
  return syllablePrefixes().has(bare(word));
}

const bare = (word: string) =>
  Array.from(word.normalize('NFC'))
    .map((ch) => parseChar(ch).base)
    .join('');

const hasMarks = (word: string) =>
  Array.from(word.normalize('NFC')).some((ch) => {
    const l = parseChar(ch);
    return l.mod !== '' || l.tone !== 0 || l.base === 'đ';
  });

type Action =
  | { kind: 'tone'; tone: Tone }
  | { kind: 'hat'; on: 'a' | 'e' | 'o' | 'any' }
  | { kind: 'horn-breve' }
  | { kind: 'horn' }
  | { kind: 'breve' }
  | { kind: 'dd' };

function telexAction(key: string, prev: Letter | undefined): Action | null {
  const k = key.toLowerCase();
  switch (k) {
    case 's':
      return { kind: 'tone', tone: 1 };
    case 'f':
      return { kind: 'tone', tone: 2 };
    case 'r':
      return { kind: 'tone', tone: 3 };
    case 'x':
      return { kind: 'tone', tone: 4 };
    case 'j':
      return { kind: 'tone', tone: 5 };
    case 'z':
      return { kind: 'tone', tone: 0 };
    case 'a':
    case 'e':
    case 'o':
      return { kind: 'hat', on: k };
    case 'w':
      return { kind: 'horn-breve' };
    case 'd':
      return prev ? { kind: 'dd' } : null;
    default:
      return null;
  }
}

function vniAction(key: string): Action | null {
  switch (key) {
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
      return { kind: 'tone', tone: Number(key) as Tone };
    case '0':
      return { kind: 'tone', tone: 0 };
    case '6':
      return { kind: 'hat', on: 'any' };
    case '7':
      return { kind: 'horn' };
    case '8':
      return { kind: 'breve' };
    case '9':
      return { kind: 'dd' };
    default:
      return null;
  }
}

/**
 * Applies a modifying key to a word (letters before the caret are `head`, the rest `tail`).
 * Returns the new letters and how many letters now stand before the caret, or null when the
 * key does not apply and must be typed literally.
 */
function applyAction(
  head: Letter[],
  tail: Letter[],
  action: Action,
  key: string,
  style: ToneStyle,
): { letters: Letter[]; caretLetters: number } | null {
  const word = [...head, ...tail];
  const tone = currentTone(word);
  const literal = (letters: Letter[]) => {
    const ch = parseChar(key);
    const next = [...letters.slice(0, head.length), ch, ...letters.slice(head.length)];
    return { letters: placeTone(next, currentTone(next), style), caretLetters: head.length + 1 };
  };
  const v = nucleus(word);
  switch (action.kind) {
    case 'tone': {
      if (v.length === 0) return null;
      if (action.tone === 0) {
        if (tone === 0) return null;
        return { letters: placeTone(word, 0, style), caretLetters: head.length };
      }
      // The same tone twice undoes it and types the key.
      if (tone === action.tone) return literal(placeTone(word, 0, style));
      return { letters: placeTone(word, action.tone, style), caretLetters: head.length };
    }
    case 'hat': {
      // The nearest matching vowel before the caret (Telex: the same letter; VNI 6: a, e or o).
      const match = (l: Letter) =>
        action.on === 'any' ? l.base === 'a' || l.base === 'e' || l.base === 'o' : l.base === action.on;
      let at = -1;
      for (let i = head.length - 1; i >= 0; i--)
        if (isVowel(word[i]!) && match(word[i]!) && v.includes(i)) {
          at = i;
          break;
        }
      if (at < 0 && action.on === 'any')
        for (let i = head.length - 1; i >= 0; i--)
          if (match(word[i]!)) {
            at = i;
            break;
          }
      if (at < 0 && action.on !== 'any') {
        // Telex "aa" also works when the vowel sits away from the caret ("tan" + a → tân).
        for (let i = head.length - 1; i >= 0; i--)
          if (match(word[i]!)) {
            at = i;
            break;
          }
      }
      if (at < 0) return null;
      const next = word.map((l) => ({ ...l }));
      if (next[at]!.mod === 'hat') {
        next[at]!.mod = '';
        return literal(placeTone(next, tone, style));
      }
      next[at]!.mod = 'hat';
      return { letters: placeTone(next, tone, style), caretLetters: head.length };
    }
    case 'horn-breve':
    case 'horn':
    case 'breve': {
      const next = word.map((l) => ({ ...l }));
      const idx = v.length ? v : word.map((_, i) => i).filter((i) => isVowel(word[i]!));
      const want: Mod = action.kind === 'breve' ? 'breve' : 'horn';
      // "uo" takes the horn on both (ươ).
      const uo =
        action.kind !== 'breve' ? idx.find((i) => word[i]!.base === 'u' && word[i + 1]?.base === 'o') : undefined;
      if (uo !== undefined) {
        if (next[uo]!.mod === 'horn' && next[uo + 1]!.mod === 'horn') {
          next[uo]!.mod = '';
          next[uo + 1]!.mod = '';
          return literal(placeTone(next, tone, style));
        }
        next[uo]!.mod = 'horn';
        next[uo + 1]!.mod = 'horn';
        return { letters: placeTone(next, tone, style), caretLetters: head.length };
      }
      let at = -1;
      if (action.kind === 'horn-breve') {
        // "oa" + w is oă (hoặc); otherwise u or o take the horn (mưa, gửi), else a the breve.
        const oa = idx.find((i) => word[i]!.base === 'o' && word[i + 1]?.base === 'a');
        if (oa !== undefined) at = oa + 1;
        else
          at =
            idx.find((i) => word[i]!.base === 'u' || word[i]!.base === 'o') ??
            idx.find((i) => word[i]!.base === 'a') ??
            -1;
      } else if (action.kind === 'horn') {
        at = idx.find((i) => word[i]!.base === 'u' || word[i]!.base === 'o') ?? -1;
      } else {
        at = idx.find((i) => word[i]!.base === 'a') ?? -1;
      }
      if (at < 0) {
        // Telex: a lone w is ư ("nhw" → như).
        if (action.kind === 'horn-breve' && idx.length === 0) {
          const u: Letter = { base: 'u', upper: key === 'W', mod: 'horn', tone: 0 };
          const ins = [...word.slice(0, head.length), u, ...word.slice(head.length)];
          return { letters: placeTone(ins, tone, style), caretLetters: head.length + 1 };
        }
        return null;
      }
      const m: Mod = next[at]!.base === 'a' ? 'breve' : want === 'breve' ? 'breve' : 'horn';
      if (next[at]!.mod === m) {
        next[at]!.mod = '';
        return literal(placeTone(next, tone, style));
      }
      next[at]!.mod = m;
      return { letters: placeTone(next, tone, style), caretLetters: head.length };
    }
    case 'dd': {
      // Telex: dd right before the caret; VNI 9: the word's d wherever it is (d9i or di9).
      const isD = (l: Letter | undefined) => l?.base === 'd' || l?.base === 'đ';
      const at =
        key === '9'
          ? word.findIndex((l, i) => i < head.length && isD(l))
          : isD(head[head.length - 1])
            ? head.length - 1
            : -1;
      if (at < 0) return null;
      const next = word.map((l) => ({ ...l }));
      if (next[at]!.base === 'đ') {
        next[at]!.base = 'd';
        return literal(next);
      }
      next[at]!.base = 'đ';
      return { letters: next, caretLetters: head.length };
    }
  }
}

/** The word (run of letters) around the caret, as character arrays. */
function splitAtCaret(state: EditState) {
  const all = chars(state.text);
  // Caret in characters (the text is NFC; one char may be two UTF-16 units).
  let caretChars = 0;
  for (let units = 0; caretChars < all.length && units < state.caret; caretChars++) units += all[caretChars]!.length;
  let start = caretChars;
  while (start > 0 && isWordChar(all[start - 1]!)) start--;
  let end = caretChars;
  while (end < all.length && isWordChar(all[end]!)) end++;
  return { all, start, end, caretChars };
}

function join(before: string[], word: Letter[], after: string[], caretLetters: number): EditState {
  const text = before.join('') + render(word) + after.join('');
  const caret = before.join('').length + render(word.slice(0, caretLetters)).length;
  return { text, caret };
}

/**
 * Types one key (a single character) at the caret. With Telex, a word whose keys compose to no
 * Vietnamese syllable shows the keys as typed, as Unikey restores it ("Kiosk", "Google"); a
 * composed word without any mark left (a tone key typed twice: "truss" → "trus") stays composed.
 */
export function typeKey(state: EditState, key: string, opts: ComposeOptions): EditState {
  const composed = composeKey(state, key, opts);
  if (opts.method !== 'telex' || !isWordChar(key)) return composed;
  const norm = { text: state.text.normalize('NFC'), caret: Math.min(state.caret, state.text.normalize('NFC').length) };
  const { all, start, end, caretChars } = splitAtCaret(norm);
  if (end !== caretChars) return composed;
  const headText = all.slice(start, caretChars).join('');
  // The keys still describe this word only if they give what the field shows.
  const known = state.keys !== undefined && spell(state.keys, opts) === headText ? state.keys : headText;
  const keys = known + key;
  const word = spell(keys, opts);
  const before = all.slice(0, start).join('');
  return { text: before + word + all.slice(end).join(''), caret: before.length + word.length, keys };
}

/** The word the keys give, composed, or as typed when that is no Vietnamese syllable. */
function spell(keys: string, opts: ComposeOptions): string {
  let s: EditState = { text: '', caret: 0 };
  for (const k of Array.from(keys)) s = composeKey(s, k, opts);
  return hasMarks(s.text) && !isVietnameseSyllablePrefix(s.text) ? keys : s.text;
}

function composeKey(state: EditState, key: string, opts: ComposeOptions): EditState {
  const norm = { text: state.text.normalize('NFC'), caret: Math.min(state.caret, state.text.normalize('NFC').length) };
  const { all, start, end, caretChars } = splitAtCaret(norm);
  const before = all.slice(0, start);
  const after = all.slice(end);
  const head = all.slice(start, caretChars).map(parseChar);
  const tail = all.slice(caretChars, end).map(parseChar);
  if (opts.method !== 'plain' && head.length > 0) {
    const action =
      opts.method === 'telex' ? (isWordChar(key) ? telexAction(key, head[head.length - 1]) : null) : vniAction(key);
    if (action) {
      const applied = applyAction(head, tail, action, key, opts.style);
      if (applied) return join(before, applied.letters, after, applied.caretLetters);
    }
  } else if (opts.method === 'telex' && head.length === 0 && (key === 'w' || key === 'W') && tail.length === 0) {
    return join(before, [{ base: 'u', upper: key === 'W', mod: 'horn', tone: 0 }], after, 1);
  }
  if (opts.method !== 'plain' && isWordChar(key) && (head.length > 0 || tail.length > 0)) {
    // A plain letter inside a word: the tone may move (hoá + n → hoán).
    const word = [...head, parseChar(key), ...tail];
    return join(before, placeTone(word, currentTone(word), opts.style), after, head.length + 1);
  }
  const text = all.slice(0, caretChars).join('') + key + all.slice(caretChars).join('');
  return { text, caret: all.slice(0, caretChars).join('').length + key.length };
}

/** Deletes the character before the caret; the word's tone is placed again. */
export function backspace(state: EditState, opts: ComposeOptions): EditState {
  const norm = { text: state.text.normalize('NFC'), caret: Math.min(state.caret, state.text.normalize('NFC').length) };
  const { all, start, end, caretChars } = splitAtCaret(norm);
  if (caretChars === 0) return norm;
  if (opts.method === 'plain' || start === caretChars) {
    const text = all.slice(0, caretChars - 1).join('') + all.slice(caretChars).join('');
    return { text, caret: all.slice(0, caretChars - 1).join('').length };
  }
  const word = all.slice(start, end).map(parseChar);
  // A tone on the deleted letter goes with it; any other tone is placed again.
  word.splice(caretChars - start - 1, 1);
  return join(
    all.slice(0, start),
    placeTone(word, currentTone(word), opts.style),
    all.slice(end),
    caretChars - start - 1,
  );
}

/** Types a whole string key by key from an empty field (tests, and pasting typed sequences). */
export function typeString(keys: string, opts: ComposeOptions, from: EditState = { text: '', caret: 0 }): EditState {
  let s = from;
  for (const k of Array.from(keys)) s = k === '\b' ? backspace(s, opts) : typeKey(s, k, opts);
  return s;
}

/** Moves the caret one character left or right. */
export function moveCaret(state: EditState, delta: -1 | 1): EditState {
  const all = chars(state.text);
  let caretChars = 0;
  for (let units = 0; caretChars < all.length && units < state.caret; caretChars++) units += all[caretChars]!.length;
  const next = Math.max(0, Math.min(all.length, caretChars + delta));
  return { text: state.text, caret: all.slice(0, next).join('').length };
}

/**
 * A mark button (á à ả ã ạ â ă ơ đ) applied to the word before the caret, whatever the input
 * method: pressing it again takes the mark off, and it never types anything by itself.
 * `vniKey` is the VNI digit for the mark.
 */
export function applyMark(state: EditState, vniKey: string, style: ToneStyle): EditState {
  const next = typeKey(state, vniKey, { method: 'vni', style });
  if (next.caret > 0 && next.text.charAt(next.caret - 1) === vniKey) {
    return { text: next.text.slice(0, next.caret - 1) + next.text.slice(next.caret), caret: next.caret - 1 };
  }
  return next;
}
