import { useEffect, useRef, type RefObject } from 'react';
import { useI18n } from '../kiosk-context.tsx';
import { useSpeech } from './speech.tsx';

/** The accessible name of an element: its aria-label, else its visible text. */
const nameOf = (el: Element): string => (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * Reads a screen aloud when it appears (and again when speech is turned on or the language
 * changes): its title, its instructions, anything marked `data-speak` (a ticket number, a
 * receipt's key facts), then its choices — the buttons of the screen's content.
 */
export function useScreenSpeech(root: RefObject<HTMLElement | null>, title: string, instructions?: string) {
  const { say, enabled } = useSpeech();
  const { t, lang } = useI18n();
  const spokenFor = useRef('');

  useEffect(() => {
    // Let the screen's content render first so its choices are there to be read.
    const timer = setTimeout(() => {
      const el = root.current;
      if (!el) return;
      const facts = [...el.querySelectorAll('[data-speak]')].map(nameOf).filter(Boolean);
      const choices = [...el.querySelectorAll('.screen-body button:not([disabled]), .tiles button, .screen-actions button:not([disabled])')]
        .map(nameOf)
        .filter(Boolean);
      const parts = [title, instructions, ...facts, choices.length ? `${t('speech.choices')} ${choices.join(', ')}` : ''].filter(Boolean);
      const text = parts.map((p) => (/[.!?:…]$/.test(p!) ? p : `${p}.`)).join(' ');
      const key = `${lang}|${enabled}|${text}`;
      if (key === spokenFor.current) return;
      spokenFor.current = key;
      say(text);
    }, 150);
    return () => clearTimeout(timer);
  }, [root, title, instructions, say, enabled, lang, t]);
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
