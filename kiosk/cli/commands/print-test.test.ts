import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../test/support/escpos-decode.ts';
import { main } from '../kioskctl.node.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kioskctl-')) },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kioskctl print-test', () => {
  it('prints the same test page in every mode, one after another, with a preview of each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'print-test-'));
    const file = join(dir, 'printer.bin');
    const r = await run(['print-test', '--printer', `file:${file}`, '--preview', join(dir, 'page.png'), '--wait', '0']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const mode of ['text', 'glyphs', 'raster', 'codepage']) {
      expect(r.out).toMatch(new RegExp(`test page printed \\(${mode}\\): \\d+ bytes`));
      expect(existsSync(join(dir, `page.${mode}.png`))).toBe(true);
    }
    const ops = decodeEscPos(new Uint8Array(readFileSync(file)));
    expect(ops.filter((o) => o.op === 'cut')).toHaveLength(4);
    // Text mode downloads its Vietnamese letters; code-page mode selects its table.
    expect(ops.some((o) => o.op === 'define-chars')).toBe(true);
    expect(ops.some((o) => o.op === 'codepage')).toBe(true);
  });

  it('prints one mode when asked, for the profile named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'print-test-'));
    const file = join(dir, 'printer.bin');
    const r = await run([
      'print-test',
      '--printer',
      `file:${file}`,
      '--mode',
      'text',
      '--profile',
      'epson-tm-t88',
      '--wait',
      '0',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('profile epson-tm-t88');
    const ops = decodeEscPos(new Uint8Array(readFileSync(file)));
    expect(ops.filter((o) => o.op === 'cut')).toHaveLength(1);
    expect(ops.some((o) => o.op === 'qr')).toBe(true);
  });

  it('refuses a mode it does not know with the usage', async () => {
    const r = await run(['print-test', '--mode', 'fast']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--mode text|glyphs|raster|codepage');
  });
});
