import type { MessageKey } from '../i18n/index.ts';
import type { IconName } from './ui/icons.tsx';

export interface Tile {
  id: string;
  label: MessageKey;
  hint: MessageKey;
  icon: IconName;
  /** The route the tile opens (a name in routes.tsx). */
  route: string;
}

export const tiles: readonly Tile[] = [
  { id: 'ticket', label: 'tile.ticket', hint: 'tile.ticket.hint', icon: 'ticket', route: 'ticket' },
  { id: 'procedures', label: 'tile.procedures', hint: 'tile.procedures.hint', icon: 'procedures', route: 'procedures' },
  { id: 'dossier', label: 'tile.dossier', hint: 'tile.dossier.hint', icon: 'dossier', route: 'dossier' },
  { id: 'submit', label: 'tile.submit', hint: 'tile.submit.hint', icon: 'submit', route: 'submit' },
  { id: 'payment', label: 'tile.payment', hint: 'tile.payment.hint', icon: 'payment', route: 'payment' },
  { id: 'rating', label: 'tile.rating', hint: 'tile.rating.hint', icon: 'rating', route: 'rating' },
];
