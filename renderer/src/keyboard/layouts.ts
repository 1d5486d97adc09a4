/**
 * On-screen keyboard layouts (simple-keyboard syntax: rows of space-separated buttons,
 * `{name}` for function keys). simple-keyboard ships no Vietnamese layout; composition is
 * done by our engine (telex.ts), so the letter rows are plain QWERTY.
 */
/** `url`: addresses, device paths and names of technician settings (ASCII, no Vietnamese composition). */
export type FieldKind = 'text' | 'code' | 'number' | 'phone' | 'url';

export interface KindLayout {
  layout: Record<string, string[]>;
  /** Text fields get the method switch and the mark row. */
  vietnamese: boolean;
}

const marks = '{t1} {t2} {t3} {t4} {t5} {hat} {breve} {horn} {dd}';

export const layouts: Record<FieldKind, KindLayout> = {
  text: {
    vietnamese: true,
    // Telex and plain letters: the mark row on top, digits one key away ("123").
    layout: {
      default: [
        marks,
        'q w e r t y u i o p {bksp}',
        'a s d f g h j k l {enter}',
        '{shift} z x c v b n m , . -',
        '{numbers} {left} {space} {right} {clear}',
      ],
      shift: [
        marks,
        'Q W E R T Y U I O P {bksp}',
        'A S D F G H J K L {enter}',
        '{shift} Z X C V B N M , . -',
        '{numbers} {left} {space} {right} {clear}',
      ],
      numbers: ['1 2 3 4 5 6 7 8 9 0 {bksp}', '- / : ; ( ) , . ? {enter}', '{abc} {left} {space} {right} {clear}'],
    },
  },
  // Dossier codes: digits, capital letters for the agency id (H12), dots and dashes.
  code: {
    vietnamese: false,
    layout: {
      default: [
        '1 2 3 4 5 6 7 8 9 0 {bksp}',
        'Q W E R T Y U I O P',
        'A S D F G H J K L {enter}',
        'Z X C V B N M . - /',
        '{left} {right} {clear}',
      ],
    },
  },
  number: {
    vietnamese: false,
    layout: { default: ['1 2 3', '4 5 6', '7 8 9', '{clear} 0 {bksp}', '{enter}'] },
  },
  // Technician fields: a central's address, a printer's or scanner's device string.
  url: {
    vietnamese: false,
    layout: {
      default: [
        '1 2 3 4 5 6 7 8 9 0 {bksp}',
        'q w e r t y u i o p',
        'a s d f g h j k l {enter}',
        '{shift} z x c v b n m . -',
        '{numbers} : / {left} {right} {clear}',
      ],
      shift: [
        '1 2 3 4 5 6 7 8 9 0 {bksp}',
        'Q W E R T Y U I O P',
        'A S D F G H J K L {enter}',
        '{shift} Z X C V B N M . -',
        '{numbers} : / {left} {right} {clear}',
      ],
      numbers: ['_ ? & = % + @ # ~ , {bksp}', '{abc} : / {left} {right} {enter}'],
    },
  },
  phone: {
    vietnamese: false,
    layout: { default: ['1 2 3', '4 5 6', '7 8 9', '+ 0 {bksp}', '{clear} {enter}'] },
  },
};

/** VNI types its marks with digits, so its letter layout has the digit row where the marks are. */
export const vniTextLayout: Record<string, string[]> = {
  default: [
    '1 2 3 4 5 6 7 8 9 0 {bksp}',
    'q w e r t y u i o p',
    'a s d f g h j k l {enter}',
    '{shift} z x c v b n m , . -',
    '{left} {space} {right} {clear}',
  ],
  shift: [
    '1 2 3 4 5 6 7 8 9 0 {bksp}',
    'Q W E R T Y U I O P',
    'A S D F G H J K L {enter}',
    '{shift} Z X C V B N M , . -',
    '{left} {space} {right} {clear}',
  ],
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
