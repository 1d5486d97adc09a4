import type { chip as vi } from '../vi/chip.ts';

export const chip: Record<keyof typeof vi, string> = {
  'chip.place':
    'Place your ID card on the reader, then scan the code lines on the back of the card. The kiosk will read the chip and fill in your details.',
  'chip.reading': 'Reading the chip, please hold the card still on the reader…',
  'chip.verified': 'Chip verified: your details were filled in from the ID card chip, signed by the issuing authority.',
  'chip.qrFallback': 'Cannot use the chip? Scan the QR code on the front of the card.',
  'chip.noCard': 'No card on the reader: details were filled in from the code lines on the back (chip not verified).',
};
