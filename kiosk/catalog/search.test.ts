import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../central/demo/catalog-generate.ts';
import { fold, foldWords } from './fold.ts';
import { CatalogIndex, type IndexEntry } from './search.ts';

const catalog = demoCatalog(2000);
const entries: IndexEntry[] = catalog.procedures.map((p, ord) => ({
  code: p.code,
  name: p.name,
  keywords: p.keywords,
  fieldId: p.fieldId,
  level: p.level,
  ord,
  common: p.common,
}));
const index = new CatalogIndex(entries);
const names = (q: string, opts = {}) =>
  index.search(q, opts).hits.map((h) => catalog.procedures.find((p) => p.code === h.code)!.name);

describe('folding', () => {
  it('drops tones and letter marks, maps đ/Đ to d and lower-cases', () => {
    expect(fold('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(fold('ĐƯỜNG')).toBe('duong');
    expect(fold('hoà')).toBe(fold('hòa'));
    expect(fold('thuý')).toBe(fold('thúy'));
    expect(fold('Nguyễn'.normalize('NFD'))).toBe('nguyen');
  });

  it('turns punctuation into single spaces but keeps the dots of a procedure code', () => {
    expect(foldWords('  Chứng thực bản sao,  chữ ký (TT 01/2020) ')).toBe('chung thuc ban sao chu ky tt 01 2020');
    expect(foldWords('1.001193')).toBe('1.001193');
  });
});

describe('catalog search ranking', () => {
  it('puts the everyday procedures first for their own words, above generated ones', () => {
    expect(names('giấy phép xây dựng')[0]).toBe('Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ');
    expect(names('lý lịch tư pháp')[0]).toMatch(/^Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam/);
    expect(names('hộ kinh doanh')[0]).toBe('Đăng ký thành lập hộ kinh doanh');
    expect(names('khai tử')[0]).toBe('Đăng ký khai tử');
    // An exact title still beats a common procedure that only contains the words.
    expect(names('chứng thực di chúc')[0]).toBe('Chứng thực di chúc');
  });
});

describe('the demo catalog', () => {
  const generated = catalog.procedures.filter((p) => p.code.startsWith('3.'));

  it('marks every generated procedure as a sample, and no real one', () => {
    expect(generated.length).toBeGreaterThan(1500);
    expect(generated.every((p) => p.sample && !p.common)).toBe(true);
    expect(catalog.procedures.filter((p) => !p.code.startsWith('3.')).every((p) => p.common && !p.sample)).toBe(true);
  });

  it('never asks to both show a document ("xuất trình") and hand in copies of it', () => {
    const docs = catalog.procedures.flatMap((p) => p.cases.flatMap((c) => c.documents));
    expect(docs.filter((d) => /xuất trình/i.test(d.name) && d.originals + d.copies > 0).map((d) => d.name)).toEqual([]);
  });

  it('generates names an officer would recognise: each action with a subject that takes it', () => {
    const odd = generated.filter(
      (p) =>
        (/^Gia hạn /.test(p.name) &&
          !/^Gia hạn (giấy phép|chứng chỉ|thẻ|phù hiệu|biển hiệu|chứng thư|sử dụng đất)/.test(p.name)) ||
        /^(Cấp|Thu hồi|Gia hạn|Cấp đổi|Xác nhận|Thông báo) (khai sinh|kết hôn|khai tử|hộ nghèo|trợ cấp|danh hiệu)/.test(
          p.name,
        ) ||
        /cho tổ chức|cho cá nhân/.test(p.name) ||
        / (đăng ký|Đăng ký) đăng ký /.test(p.name),
    );
    expect(odd.map((p) => p.name)).toEqual([]);
  });
});

describe('catalog search', () => {
  it('holds the whole generated catalog of more than 2,000 procedures', () => {
    expect(catalog.procedures.length).toBeGreaterThanOrEqual(2000);
    expect(index.size).toBe(catalog.procedures.length);
  });

  it('finds "Đăng ký khai sinh" from a query typed without marks, first', () => {
    expect(names('dang ky khai sinh')[0]).toBe('Đăng ký khai sinh');
    expect(names('DANG KY KHAI SINH')[0]).toBe('Đăng ký khai sinh');
    expect(names('Đăng ký khai sinh')[0]).toBe('Đăng ký khai sinh');
  });

  it('ignores where the tone sits ("hoà" and "hòa" find the same)', () => {
    const a = index.search('chứng thực hợp đồng giao dịch hoà').hits;
    const b = index.search('chứng thực hợp đồng giao dịch hòa').hits;
    expect(a).toEqual(b);
    expect(names('thuý')).toEqual(names('thúy'));
  });

  it('treats đ and d alike in both directions', () => {
    expect(names('dat dai').length).toBeGreaterThan(0);
    expect(names('đất đai')).toEqual(names('dat dai'));
    expect(names('DAT DAI')).toEqual(names('ĐẤT ĐAI'));
  });

  it('matches words as they are being typed (word starts)', () => {
    expect(names('dang ky kha').slice(0, 2)).toEqual(expect.arrayContaining(['Đăng ký khai sinh', 'Đăng ký khai tử']));
    expect(names('kh sinh')).toContain('Đăng ký khai sinh');
  });

  it('puts an exact name before names that only contain the phrase', () => {
    const list = names('dang ky ket hon');
    expect(list[0]).toBe('Đăng ký kết hôn');
    expect(list.slice(1).every((n) => n !== 'Đăng ký kết hôn')).toBe(true);
  });

  it('puts a name starting with the phrase before one containing it in the middle', () => {
    const list = names('chung thuc');
    const firstMiddle = list.findIndex((n) => !fold(n).startsWith('chung thuc'));
    const lastStart = list.map((n) => fold(n).startsWith('chung thuc')).lastIndexOf(true);
    expect(firstMiddle === -1 || lastStart < firstMiddle).toBe(true);
  });

  it('puts name matches before keyword-only matches', () => {
    const list = names('so do');
    expect(list.length).toBeGreaterThan(0);
    // "sổ đỏ" is only a keyword (the names say "Giấy chứng nhận quyền sử dụng đất").
    expect(list.some((n) => n.includes('Giấy chứng nhận quyền sử dụng đất'))).toBe(true);
    const nameHit = names('dang ky tam tru');
    expect(nameHit[0]).toBe('Đăng ký tạm trú');
  });

  it('finds a procedure by the words citizens use for it', () => {
    expect(names('lam giay khai sinh')[0]).toBe('Đăng ký khai sinh');
    expect(names('nhap ho khau')[0]).toBe('Đăng ký thường trú');
    expect(names('giay doc than')[0]).toBe('Cấp Giấy xác nhận tình trạng hôn nhân');
  });

  it('finds a procedure by its national code first', () => {
    expect(index.search('1.001193').hits[0]!.code).toBe('1.001193');
    expect(index.search('2.000635').hits[0]!.code).toBe('2.000635');
  });

  it('needs every word to match somewhere', () => {
    expect(index.search('khai sinh xyzzy').total).toBe(0);
    expect(index.search('   ').total).toBe(0);
    expect(index.search('!!!').total).toBe(0);
  });

  it('filters by field and by level', () => {
    const all = index.search('cap', { limit: 10_000 });
    const xa = index.search('cap', { level: 'xa', limit: 10_000 });
    const hoTich = index.search('cap', { fieldId: 'ho-tich', limit: 10_000 });
    expect(xa.total).toBeGreaterThan(0);
    expect(xa.total).toBeLessThan(all.total);
    expect(hoTich.total).toBeGreaterThan(0);
    for (const h of xa.hits) expect(catalog.procedures.find((p) => p.code === h.code)!.level).toBe('xa');
    for (const h of hoTich.hits) expect(catalog.procedures.find((p) => p.code === h.code)!.fieldId).toBe('ho-tich');
  });

  it('returns at most the limit but counts every match', () => {
    const r = index.search('cap', { limit: 5 });
    expect(r.hits).toHaveLength(5);
    expect(r.total).toBeGreaterThan(5);
  });

  it('ranks deterministically', () => {
    expect(index.search('giay phep').hits).toEqual(new CatalogIndex(entries).search('giay phep').hits);
  });
});
