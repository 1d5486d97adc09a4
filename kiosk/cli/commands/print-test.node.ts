import { writeFile } from 'node:fs/promises';
import { createPrinter, isPrinterError, testPageDoc, type Printer, type PrinterStatus } from '../../../drivers/printer/index.node.ts';
import type { Command, CommandIO } from '../command.ts';
import { ConfigError, loadConfig, type KioskConfig } from '../../config/config.node.ts';

interface Args {
  printer?: string;
  width?: 58 | 80;
  mode?: 'raster' | 'codepage';
  codePage?: number;
  preview?: string;
  wait: number;
}

function parseArgs(args: string[]): Args | string {
  const out: Args = { wait: 3000 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    const take = () => {
      i++;
      return v;
    };
    if (a === '--printer' && v) out.printer = take();
    else if (a === '--width' && (v === '58' || v === '80')) out.width = Number(take()) as 58 | 80;
    else if (a === '--mode' && (v === 'raster' || v === 'codepage')) out.mode = take() as 'raster' | 'codepage';
    else if (a === '--code-page' && v && /^\d{1,3}$/.test(v) && Number(v) < 256) out.codePage = Number(take());
    else if (a === '--preview' && v) out.preview = take();
    else if (a === '--wait' && v && /^\d+$/.test(v)) out.wait = Number(take());
    else return `unexpected argument ${JSON.stringify(a)}`;
  }
  return out;
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

function printStatus(io: CommandIO, s: PrinterStatus) {
  io.out(`  state=${s.state} online=${yes(s.online)} paperOut=${yes(s.paperOut)} paperNearEnd=${yes(s.paperNearEnd)} coverOpen=${yes(s.coverOpen)} error=${yes(s.error)}`);
  io.out(`  status source=${s.source === 'realtime' ? 'printer (DLE EOT)' : 'none (printer does not answer)'} printed=${Math.round(s.printedMm)} mm${s.lastError ? ` lastError=${s.lastError}` : ''}`);
}

/** Waits for the first connection attempt(s) to settle: open() returns after one try. */
async function settle(printer: Printer, ms: number): Promise<PrinterStatus> {
  const deadline = Date.now() + ms;
  let s = await printer.status();
  while (s.state !== 'ready' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    s = await printer.status();
  }
  return s;
}

export const printTestCommand: Command = {
  name: 'print-test',
  summary: 'print the test page (Vietnamese alphabet, QR, barcode, status) / in trang thử',
  usage: 'kioskctl print-test [--printer URI] [--width 58|80] [--mode raster|codepage] [--code-page N] [--preview out.png]',
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.err(`kioskctl print-test: ${parsed}\nusage: ${this.usage}`);
      return 2;
    }
    let config: Partial<KioskConfig> = {};
    try {
      config = loadConfig(io.env);
    } catch (err) {
      // An explicit --printer is enough to test a printer on a kiosk not configured yet.
      if (!(err instanceof ConfigError) || !parsed.printer) {
        io.err(err instanceof Error ? err.message : String(err));
        return 1;
      }
    }
    const uri = parsed.printer ?? config.printer ?? 'sim';
    const widthMm = parsed.width ?? config.printerWidthMm ?? 80;
    const mode = parsed.mode ?? config.printerMode ?? 'raster';
    const codePage = parsed.codePage ?? config.printerCodePage;
    let printer: Printer;
    try {
      printer = createPrinter({ uri, widthMm, mode, codePage, pollMs: 0 });
    } catch (err) {
      io.err(`kioskctl print-test: ${(err as Error).message}`);
      return 2;
    }
    io.out(`Máy in / printer: ${uri} (${widthMm} mm, ${mode}${mode === 'codepage' ? ` ESC t ${codePage ?? 52}` : ''})`);
    try {
      await printer.open();
      const before = await settle(printer, parsed.wait);
      printStatus(io, before);
      if (parsed.preview) {
        const doc = testPageDoc({ uri, mode, widthMm, codePage, at: new Date().toISOString(), kioskName: config.kioskName }, before);
        await writeFile(parsed.preview, await printer.preview(doc));
        io.out(`Ảnh xem trước / preview: ${parsed.preview}`);
      }
      const r = await printer.testPage({ kioskName: config.kioskName });
      io.out(`Đã in trang thử / test page printed: ${r.bytes} bytes, ${Math.round(r.lengthMm)} mm`);
      printStatus(io, r.status);
      return 0;
    } catch (err) {
      if (!isPrinterError(err)) throw err;
      io.err(`Không in được / cannot print: ${err.code}: ${err.message}`);
      if (err.status) printStatus(io, err.status);
      return 1;
    } finally {
      await printer.close();
    }
  },
};
