import { describe, expect, it } from 'vitest';
import { applyMark, backspace, moveCaret, typeKey, typeString, type ComposeOptions } from './telex.ts';

const telexOld: ComposeOptions = { method: 'telex', style: 'old' };
const telexNew: ComposeOptions = { method: 'telex', style: 'new' };
const vniOld: ComposeOptions = { method: 'vni', style: 'old' };
const vniNew: ComposeOptions = { method: 'vni', style: 'new' };
const plain: ComposeOptions = { method: 'plain', style: 'old' };

const telex = (keys: string, o = telexOld) => typeString(keys, o).text;
const vni = (keys: string, o = vniOld) => typeString(keys, o).text;

describe('Telex', () => {
  it.each([
    ['ddawng', 'đăng'],
    ['kys', 'ký'],
    ['khai', 'khai'],
    ['sinh', 'sinh'],
    ['tieengs', 'tiếng'],
    ['vieetj', 'việt'],
    ['nguwowif', 'người'],
    ['nguoiwf', 'người'],
    ['truwowngf', 'trường'],
    ['truongwf', 'trường'],
    ['hocj', 'học'],
    ['hoocj', 'hộc'],
    ['hoawcj', 'hoặc'],
    ['muwa', 'mưa'],
    ['muaw', 'mưa'],
    ['giuwx', 'giữ'],
    ['giuwax', 'giữa'],
    ['gif', 'gì'],
    ['quar', 'quả'],
    ['quys', 'quý'],
    ['cuar', 'của'],
    ['thw', 'thư'],
    ['nhw', 'như'],
    ['w', 'ư'],
    ['ddi', 'đi'],
    ['DDi', 'Đi'],
    ['Ddi', 'Đi'],
    ['DDAWNG', 'ĐĂNG'],
    ['Vieetj', 'Việt'],
    ['xacs', 'xác'],
    ['nhaanj', 'nhận'],
    ['banr', 'bản'],
    ['sao', 'sao'],
    ['chuwngs', 'chứng'],
    ['thuwcj', 'thực'],
    ['hooj', 'hộ'],
    ['khaaur', 'khẩu'],
    ['cuw', 'cư'],
    ['truss', 'trus'],
    ['dduwowngf', 'đường'],
    ['khuyeens', 'khuyến'],
    ['tan', 'tan'],
    ['tana', 'tân'],
    ['thuoocs', 'thuốc'],
    ['buwowms', 'bướm'],
    ['khoong', 'không'],
  ])('composes %s into %s', (keys, word) => {
    expect(telex(keys)).toBe(word);
  });

  it.each([
    ['Kiosk', 'Kiosk'],
    ['Google', 'Google'],
    ['Windows', 'Windows'],
    ['Facebook', 'Facebook'],
    ['Zalo', 'Zalo'],
    ['Kiosk tieengs Vieetj', 'Kiosk tiếng Việt'],
  ])('restores a word that is no Vietnamese syllable to the keys typed, as Unikey does: %s', (keys, text) => {
    expect(telex(keys)).toBe(text);
  });

  it('restores from the word on screen when the keys before were not kept', () => {
    expect(typeKey({ text: 'Kio', caret: 3 }, 's', telexOld).text).toBe('Kios');
    expect(typeKey({ text: 'Kios', caret: 4 }, 'k', telexOld).text).toBe('Kiosk');
  });

  it('places the tone on the first vowel of an open oa/oe/uy in the old style and on the second in the new', () => {
    expect(telex('hoaf', telexOld)).toBe('hòa');
    expect(telex('hoaf', telexNew)).toBe('hoà');
    expect(telex('thuys', telexOld)).toBe('thúy');
    expect(telex('thuys', telexNew)).toBe('thuý');
    expect(telex('khoer', telexOld)).toBe('khỏe');
    expect(telex('khoer', telexNew)).toBe('khoẻ');
  });

  it('moves the tone when a final consonant follows, whatever the style', () => {
    expect(telex('hoasn', telexOld)).toBe('hoán');
    expect(telex('hoasn', telexNew)).toBe('hoán');
    expect(telex('hoafng', telexOld)).toBe('hoàng');
  });

  it('accepts the tone key anywhere after the vowel', () => {
    expect(telex('tiesng')).toBe('tiếng'.normalize('NFC').replace('ế', 'é'));
    expect(telex('tieesng')).toBe('tiếng');
    expect(telex('ddangw')).toBe('đăng');
  });

  it('undoes a tone or a modifier typed twice and types the key', () => {
    expect(telex('ass')).toBe('as');
    expect(telex('aaa')).toBe('aa');
    expect(telex('ddd')).toBe('dd');
    expect(telex('uww')).toBe('uw');
    expect(telex('ww')).toBe('uw');
  });

  it('replaces one tone with another and removes it with z', () => {
    expect(telex('asf')).toBe('à');
    expect(telex('hoasz')).toBe('hoa');
    expect(telex('z')).toBe('z');
  });

  it('types tone letters literally when the word has no vowel yet', () => {
    expect(telex('s')).toBe('s');
    expect(telex('xa')).toBe('xa');
    expect(telex('rr')).toBe('rr');
  });

  it('composes a whole sentence word by word', () => {
    expect(telex('ddawng kys khai sinh cho trer em')).toBe('đăng ký khai sinh cho trẻ em');
    expect(telex('Chuwngs thuwcj banr sao tuwf banr chinhs')).toBe('Chứng thực bản sao từ bản chính');
    expect(telex('Ddawng kys thuwowngf truss', telexNew)).toBe('Đăng ký thường trus');
    expect(telex('Tooi muoons ddi hoaf binhf', telexNew)).toBe('Tôi muốn đi hoà bình');
    expect(telex('Tooi muoons ddi hoaf binhf', telexOld)).toBe('Tôi muốn đi hòa bình');
  });

  it('keeps digits and punctuation as typed', () => {
    expect(telex('soos 12, dduwowngf 3/2.')).toBe('số 12, đường 3/2.');
  });
});

describe('VNI', () => {
  it.each([
    ['d9a8ng ky1', 'đăng ký'],
    ['di9', 'đi'],
    ['tie6ng1', 'tiếng'],
    ['vie65t', 'việt'],
    ['ngu7o72i', 'người'],
    ['nguoi72', 'người'],
    ['truong72', 'trường'],
    ['ho5c', 'học'],
    ['hoa8c5', 'hoặc'],
    ['mu7a', 'mưa'],
    ['gi3', 'gỉ'],
    ['qua3', 'quả'],
    ['kho6ng', 'không'],
    ['D9I', 'ĐI'],
  ])('composes %s into %s', (keys, word) => {
    expect(vni(keys)).toBe(word);
  });

  it('follows the chosen tone placement style', () => {
    expect(vni('hoa2', vniOld)).toBe('hòa');
    expect(vni('hoa2', vniNew)).toBe('hoà');
    expect(vni('thuy1', vniNew)).toBe('thuý');
  });

  it('undoes a repeated key, removes the tone with 0, and types digits outside words', () => {
    expect(vni('a11')).toBe('a1');
    expect(vni('a66')).toBe('a6');
    expect(vni('a10')).toBe('a');
    expect(vni('0912 345 678')).toBe('0912 345 678');
    expect(vni('so61 12')).toBe('số 12');
  });
});

describe('plain letters', () => {
  it('types every key as it is', () => {
    expect(typeString('ddawng kys', plain).text).toBe('ddawng kys');
    expect(typeString('d9a8ng', plain).text).toBe('d9a8ng');
  });
});

describe('backspace', () => {
  it('deletes the last composed letter as a whole', () => {
    expect(telex('tieengs\b')).toBe('tiến');
    expect(telex('ddawng\b\b\b\b')).toBe('');
    expect(telex('ddi\b')).toBe('đ');
  });

  it('places the tone again when a final consonant is deleted', () => {
    expect(telex('hoasn\b', telexOld)).toBe('hóa');
    expect(telex('hoasn\b', telexNew)).toBe('hoá');
  });

  it('takes the tone away with the letter that carried it', () => {
    expect(telex('hoaf\b', telexNew)).toBe('ho');
    expect(telex('as\b')).toBe('');
  });

  it('composes again after a deletion', () => {
    expect(telex('ddang\b\bwng')).toBe('đăng');
    expect(telex('khai sinh\b\b\b\bsinh')).toBe('khai sinh');
  });

  it('does nothing at the start of the text', () => {
    expect(backspace({ text: 'ab', caret: 0 }, telexOld)).toEqual({ text: 'ab', caret: 0 });
  });

  it('deletes a space or a digit simply', () => {
    expect(telex('ab 1\b\b')).toBe('ab');
  });
});

describe('mid-word edits', () => {
  const at = (text: string, caret: number) => ({ text, caret });

  it('inserts a letter at the caret and keeps the caret after it', () => {
    const s = typeKey(at('tin', 2), 'e', telexOld);
    expect(s).toEqual({ text: 'tien', caret: 3 });
    const s2 = typeKey(s, 'e', telexOld);
    expect(s2).toEqual({ text: 'tiên', caret: 3 });
  });

  it('applies a tone typed in the middle of a word to the whole word', () => {
    const s = typeKey(at('tieng', 3), 's', telexOld);
    expect(s.text).toBe('tiéng');
    expect(s.caret).toBe(3);
    const s2 = typeKey(at('tiêng', 5), 's', telexOld);
    expect(s2.text).toBe('tiếng');
  });

  it('moves the tone when a final consonant is inserted before a later word', () => {
    const s = typeKey(at('hòa bình', 3), 'n', telexOld);
    expect(s).toMatchObject({ text: 'hoàn bình', caret: 4 });
  });

  it('deletes the letter before the caret inside a word and places the tone again', () => {
    const s = backspace(at('hoàn bình', 4), telexOld);
    expect(s).toEqual({ text: 'hòa bình', caret: 3 });
    const s2 = backspace(at('hoàn bình', 4), telexNew);
    expect(s2).toEqual({ text: 'hoà bình', caret: 3 });
  });

  it('edits the second word of a sentence without touching the first', () => {
    let s = at('đăng ky khai', 7);
    s = typeKey(s, 's', telexOld);
    expect(s).toMatchObject({ text: 'đăng ký khai', caret: 7 });
  });

  it('moves the caret over composed letters', () => {
    const s = moveCaret(at('việt', 4), -1);
    expect(s.caret).toBe(3);
    expect(moveCaret(at('việt', 0), -1).caret).toBe(0);
    expect(moveCaret(at('việt', 4), 1).caret).toBe(4);
    expect(typeKey(moveCaret(at('viet', 4), -1), 'e', telexOld).text).toBe('viêt');
  });

  it('reads decomposed text as the same letters', () => {
    const s = typeKey({ text: 'hoa\u0300'.normalize('NFD'), caret: 4 }, 'n', telexOld);
    expect(s.text).toBe('hoàn');
  });
});

describe('mark buttons', () => {
  it('put a tone or a letter mark on the word before the caret, whatever the method', () => {
    let s = typeString('dang', plain);
    s = applyMark(s, '8', 'old');
    s = applyMark(s, '1', 'old');
    expect(s.text).toBe('dắng');
    s = applyMark(s, '9', 'old');
    expect(s).toEqual({ text: 'đắng', caret: 4 });
  });

  it('take the mark off when pressed again and never type a digit', () => {
    let s = typeString('hoa', plain);
    s = applyMark(s, '2', 'new');
    expect(s.text).toBe('hoà');
    s = applyMark(s, '2', 'new');
    expect(s).toEqual({ text: 'hoa', caret: 3 });
    expect(applyMark({ text: 'a ', caret: 2 }, '1', 'old')).toEqual({ text: 'a ', caret: 2 });
    expect(applyMark({ text: '', caret: 0 }, '6', 'old')).toEqual({ text: '', caret: 0 });
  });
});
