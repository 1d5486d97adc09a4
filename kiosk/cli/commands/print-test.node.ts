import { writeFile } from 'node:fs/promises';
import {
  createPrinter,
  isPrinterError,
  PRINTER_MODES,
  PrinterProfileId,
  previewPng,
  testPageDoc,
  type Printer,
  type PrinterMode,
  type PrinterStatus,
} from '../../../drivers/printer/index.node.ts';
import type { Command, CommandIO } from '../command.ts';
import { ConfigError, loadConfig, type KioskConfig } from '../../config/config.node.ts';
import { localDateTime } from '../../../protocol/tickets.ts';

interface Args {
  printer?: string;
  width?: 58 | 80;
  /** One mode; absent: the page in every mode, one after another. */
  mode?: PrinterMode;
  profile?: PrinterProfileId;
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
    else if (a === '--mode' && PRINTER_MODES.includes(v as PrinterMode)) out.mode = take() as PrinterMode;
    else if (a === '--profile' && PrinterProfileId.safeParse(v).success) out.profile = PrinterProfileId.parse(take());
    else if (a === '--code-page' && v && /^\d{1,3}$/.test(v) && Number(v) < 256) out.codePage = Number(take());
    else if (a === '--preview' && v) out.preview = take();
    else if (a === '--wait' && v && /^\d+$/.test(v)) out.wait = Number(take());
    else return `unexpected argument ${JSON.stringify(a)}`;
  }
  return out;
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

function printStatus(io: CommandIO, s: PrinterStatus) {
  io.out(
    `  state=${s.state} online=${yes(s.online)} paperOut=${yes(s.paperOut)} paperNearEnd=${yes(s.paperNearEnd)} coverOpen=${yes(s.coverOpen)} error=${yes(s.error)}`,
  );
  io.out(
    `  status source=${s.source === 'realtime' ? 'printer (DLE EOT)' : 'none (printer does not answer)'} printed=${Math.round(s.printedMm)} mm${s.lastError ? ` lastError=${s.lastError}` : ''}`,
  );
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
  usage: `kioskctl print-test [--printer URI] [--width 58|80] [--mode ${PRINTER_MODES.join('|')}] [--profile ${PrinterProfileId.options.join('|')}] [--code-page N] [--preview out.png]`,
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
    // Without --mode, the same page in every mode: the technician keeps the fastest one the printer gets right.
    const modes: readonly PrinterMode[] = parsed.mode ? [parsed.mode] : PRINTER_MODES;
    const codePage = parsed.codePage ?? config.printerCodePage;
    let printer: Printer;
    try {
      printer = createPrinter({
        uri,
        widthMm,
        mode: modes[0],
        profile: parsed.profile ?? config.printerProfile,
        codePage,
        pollMs: 0,
      });
    } catch (err) {
      io.err(`kioskctl print-test: ${(err as Error).message}`);
      return 2;
    }
    io.out(
      `Máy in / printer: ${uri} (${widthMm} mm, profile ${printer.profile.id}; ${modes.join(', ')}${modes.includes('codepage') ? `; ESC t ${codePage ?? 52}` : ''})`,
    );
    try {
      await printer.open();
      const before = await settle(printer, parsed.wait);
      printStatus(io, before);
      if (printer.model) io.out(`  model ${printer.model} → profile ${printer.profile.id}`);
      for (const mode of modes) {
        if (parsed.preview) {
          const file = modes.length > 1 ? parsed.preview.replace(/(\.png)?$/i, `.${mode}.png`) : parsed.preview;
          const doc = testPageDoc(
            {
              uri,
              mode,
              profile: printer.profile.id,
              widthMm,
              codePage,
              at: localDateTime(new Date(), true),
              kioskName: config.kioskName,
            },
            before,
          );
          await writeFile(file, previewPng(doc, widthMm, { mode, profile: printer.profile }));
          io.out(`Ảnh xem trước / preview (${mode}): ${file}`);
        }
        const r = await printer.testPage({ kioskName: config.kioskName, mode, at: localDateTime(new Date(), true) });
        io.out(`Đã in trang thử / test page printed (${mode}): ${r.bytes} bytes, ${Math.round(r.lengthMm)} mm`);
        printStatus(io, r.status);
      }
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
