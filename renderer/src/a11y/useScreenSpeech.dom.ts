import { useEffect, useRef, type RefObject } from 'react';
import { useI18n } from '../kiosk-context.tsx';
import { useSpeech } from './speech.tsx';

/** The accessible name of an element: its aria-label, else its visible text. */
const nameOf = (el: Element): string =>
  (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * A fact as it should be heard: a term list becomes "term: value." pairs (textContent would
 * run "Mã hồ sơ" and the code together), a marked value is said after its term; anything else
 * its accessible name.
 */
const factOf = (el: Element): string => {
  // A list's aria-label names the region (for scrolling), not its content: read the pairs.
  if (el.hasAttribute('aria-label') && el.tagName !== 'DL') return nameOf(el);
  if (el.tagName === 'DD') {
    // A value alone ("20/11/2025") means little: say its term first.
    let term = el.previousElementSibling;
    while (term && term.tagName !== 'DT') term = term.previousElementSibling;
    const value = nameOf(el);
    return term && value ? `${nameOf(term)}: ${value}` : value;
  }
  if (el.tagName !== 'DL') return nameOf(el);
  const parts: string[] = [];
  for (const child of el.querySelectorAll('dt, dd')) {
    const text = nameOf(child);
    if (!text) continue;
    parts.push(child.tagName === 'DT' ? `${text}:` : `${text}.`);
  }
  return parts.join(' ');
};

const factsOf = (el: Element): string[] =>
  [...el.querySelectorAll('[data-speak]')]
    .filter((f) => !f.closest('[hidden]'))
    .map(factOf)
    .filter(Boolean);

const ends = (p: string) => (/[.!?:…]$/.test(p) ? p : `${p}.`);

/**
 * A control as it should be heard: its aria-label, else its parts (a tile's label and its
 * hint) with a pause between them, never run together ("Lấy số thứ tựNhận số…").
 */
export const controlName = (el: Element): string => {
  const label = el.getAttribute('aria-label');
  if (label) return label.replace(/\s+/g, ' ').trim();
  const parts = [...el.childNodes].map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  return parts.map((p, i) => (i < parts.length - 1 && !/[.!?:…,;]$/.test(p) ? `${p}:` : p)).join(' ');
};

/**
 * The screen's choices: its buttons, but not the keys of the on-screen keyboard (fifty key
 * names say nothing about the screen) nor its show/hide toggle; the field is read instead.
 */
const CHOICES = '.screen-body button:not([disabled]), .tiles button, .screen-actions button:not([disabled])';
const isKeyboardPart = (b: Element) => b.closest('.osk') !== null || b.classList.contains('text-field-toggle');

/** Each text field: its label and what was typed in it (or that nothing was). */
const fieldsOf = (el: Element, empty: string): string[] =>
  [...el.querySelectorAll('.text-field')]
    .map((f) => {
      const label = (f.querySelector('.text-field-label')?.textContent ?? '').trim();
      const value = f.querySelector('input')?.value.trim() ?? '';
      return label ? `${label.replace(/:$/, '')}: ${value || empty}` : '';
    })
    .filter(Boolean);

/**
 * Reads a screen aloud when it appears (and again when speech is turned on or the language
 * changes): its title, its instructions, anything marked `data-speak` (a ticket number, a
 * receipt's key facts), then its choices — the buttons of the screen's content.
 */
export function useScreenSpeech(root: RefObject<HTMLElement | null>, title: string, instructions?: string) {
  const { say, enabled } = useSpeech();
  const { t, lang } = useI18n();
  const spokenFor = useRef('');
  const factsSpoken = useRef('');

  const announce = useRef<() => void>(() => undefined);

  useEffect(() => {
    // Let the screen's content render first so its choices are there to be read.
    announce.current = () => {
      const el = root.current;
      if (!el) return;
      const facts = factsOf(el);
      const choices = [...el.querySelectorAll(CHOICES)]
        .filter((b) => !isKeyboardPart(b))
        .map(controlName)
        .filter(Boolean);
      const parts = [
        title,
        instructions,
        ...facts,
        ...fieldsOf(el, t('speech.fieldEmpty')),
        choices.length ? `${t('speech.choices')} ${choices.map(ends).join(' ')}` : '',
      ].filter(Boolean);
      const text = parts.map((p) => ends(p!)).join(' ');
      const key = `${lang}|${enabled}|${text}`;
      factsSpoken.current = facts.join('|');
      if (key === spokenFor.current) return;
      spokenFor.current = key;
      say(text);
    };
    const timer = setTimeout(() => announce.current(), 150);
    return () => clearTimeout(timer);
  }, [root, title, instructions, say, enabled, lang, t]);

  // A result that appears on the same screen (a dossier's status, an issued number) is read
  // out when it appears: only the new facts, not the whole screen again.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const facts = factsOf(el);
        const joined = facts.join('|');
        if (joined === factsSpoken.current) return;
        // The screen's content arrived after it was announced (it was loading): the whole screen again.
        if (!factsSpoken.current) return announce.current();
        factsSpoken.current = joined;
        if (facts.length) say(facts.map((p) => (/[.!?:…]$/.test(p) ? p : `${p}.`)).join(' '));
      }, 300);
    });
    observer.observe(el, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-speak', 'hidden'],
    });
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [root, say]);
}

/** Errors are spoken the moment they appear: any element with role="alert". */
export function useAlertSpeech() {
  const { say } = useSpeech();
  useEffect(() => {
    const seen = new WeakMap<Element, string>();
    const check = () => {
      for (const el of document.querySelectorAll('[role="alert"], [role="alertdialog"] h2')) {
        const text = nameOf(el);
        if (text && seen.get(el) !== text) {
          seen.set(el, text);
          say(text);
        }
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [say]);
}
