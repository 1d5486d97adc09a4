import type { lookup as vi } from '../vi/lookup.ts';

export const lookup: Record<keyof typeof vi, string> = {
  'keyboard.label': 'On-screen keyboard',
  'keyboard.method': 'Typing',
  'keyboard.telex': 'Telex',
  'keyboard.vni': 'VNI',
  'keyboard.plain': 'No accents',
  'keyboard.style': 'Tone mark',
  'keyboard.styleOld': 'hòa',
  'keyboard.styleNew': 'hoà',
  'keyboard.space': 'Space',
  'keyboard.backspace': 'Delete',
  'keyboard.clear': 'Clear',
  'keyboard.enter': 'Done',
  'keyboard.shift': 'Capitals',
  'keyboard.left': '◀',
  'keyboard.right': '▶',
  'keyboard.show': 'Show keyboard',
  'keyboard.hide': 'Hide keyboard',
  'keyboard.marks': 'Add a mark to the word being typed',
} as const;
