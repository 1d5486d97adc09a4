import type { a11y as vi } from '../vi/a11y.ts';

export const a11y: Record<keyof typeof vi, string> = {
  'a11y.toolbar': 'Accessibility',
  'a11y.speech': 'Read aloud',
  'a11y.speechOn': 'Reading aloud',
  'a11y.pause': 'Pause',
  'a11y.resume': 'Resume',
  'a11y.repeat': 'Repeat',
  'a11y.quieter': 'Quieter',
  'a11y.louder': 'Louder',
  'a11y.volume': 'Volume {level}/{max}',
  'a11y.largeText': 'Large text',
  'a11y.contrast': 'High contrast',
  'a11y.language': 'Language',
  'speech.fieldEmpty': 'empty',
  'speech.choices': 'Choices:',
  'speech.unavailable': 'This kiosk has no voice yet. Please ask an officer for help.',
};
