import { useEffect, useRef, type RefObject } from 'react';
import { useI18n } from '../kiosk-context.tsx';
import { useSpeech } from './speech.tsx';

/** The accessible name of an element: its aria-label, else its visible text. */
const nameOf = (el: Element): string => (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();

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

const factsOf = (el: Element): string[] => [...el.querySelectorAll('[data-speak]')].filter((f) => !f.closest('[hidden]')).map(factOf).filter(Boolean);

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
      const choices = [...el.querySelectorAll('.screen-body button:not([disabled]), .tiles button, .screen-actions button:not([disabled])')]
        .map(nameOf)
        .filter(Boolean);
      const parts = [title, instructions, ...facts, choices.length ? `${t('speech.choices')} ${choices.join(', ')}` : ''].filter(Boolean);
      const text = parts.map((p) => (/[.!?:…]$/.test(p!) ? p : `${p}.`)).join(' ');
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
    observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-speak', 'hidden'] });
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
