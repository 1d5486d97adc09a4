/**
 * On-screen keyboard layouts (simple-keyboard syntax: rows of space-separated buttons,
 * `{name}` for function keys). simple-keyboard ships no Vietnamese layout; composition is
 * done by our engine (telex.ts), so the letter rows are plain QWERTY.
 */
export type FieldKind = 'text' | 'code' | 'number' | 'phone';

export interface KindLayout {
  layout: Record<string, string[]>;
  /** Text fields get the method switch and the mark row. */
  vietnamese: boolean;
}

const marks = '{t1} {t2} {t3} {t4} {t5} {hat} {breve} {horn} {dd}';

export const layouts: Record<FieldKind, KindLayout> = {
  text: {
    vietnamese: true,
    layout: {
      default: [marks, '1 2 3 4 5 6 7 8 9 0 {bksp}', 'q w e r t y u i o p', 'a s d f g h j k l {enter}', '{shift} z x c v b n m , . -', '{left} {space} {right} {clear}'],
      shift: [marks, '1 2 3 4 5 6 7 8 9 0 {bksp}', 'Q W E R T Y U I O P', 'A S D F G H J K L {enter}', '{shift} Z X C V B N M , . -', '{left} {space} {right} {clear}'],
    },
  },
  // Dossier codes: digits, capital letters for the agency id (H12), dots and dashes.
  code: {
    vietnamese: false,
    layout: {
      default: ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'Q W E R T Y U I O P', 'A S D F G H J K L {enter}', 'Z X C V B N M . - /', '{left} {right} {clear}'],
    },
  },
  number: {
    vietnamese: false,
    layout: { default: ['1 2 3', '4 5 6', '7 8 9', '{clear} 0 {bksp}', '{enter}'] },
  },
  phone: {
    vietnamese: false,
    layout: { default: ['1 2 3', '4 5 6', '7 8 9', '+ 0 {bksp}', '{clear} {enter}'] },
  },
};

/** The mark row's buttons as VNI keys, so the engine applies them to the current word. */
export const markKeys: Record<string, string> = {
  '{t1}': '1',
  '{t2}': '2',
  '{t3}': '3',
  '{t4}': '4',
  '{t5}': '5',
  '{hat}': '6',
  '{horn}': '7',
  '{breve}': '8',
  '{dd}': '9',
};

/** What the mark buttons show: the mark on a sample letter. */
export const markDisplay: Record<string, string> = {
  '{t1}': 'á',
  '{t2}': 'à',
  '{t3}': 'ả',
  '{t4}': 'ã',
  '{t5}': 'ạ',
  '{hat}': 'â ê ô',
  '{breve}': 'ă',
  '{horn}': 'ơ ư',
  '{dd}': 'đ',
};
