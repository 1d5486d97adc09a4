import { join } from 'node:path';
import type { PrintOutcome } from '../../contract/print.ts';
import type { Logger } from 'pino';
import {
  createPrinter,
  isPrinterError,
  pngDataUrl,
  type Printer,
  type PrintResult,
} from '../../drivers/printer/index.node.ts';
import type { ReceiptDoc } from '../../drivers/printer/receipt.ts';
import type { PrinterStatus } from '../../drivers/printer/status.ts';
import type { EventBus } from '../api/dispatch.ts';
import { KioskError, type KioskErrorBody } from '../../contract/errors.ts';
import type { KioskConfig } from '../config/config.node.ts';
import { localDateTime } from '../../protocol/tickets.ts';

/**
 * The receipt printer as services see it (`ctx.printer`). Same calls as the driver, with the
 * kiosk's conventions: failures are KioskError PRINTER_* codes, previews are data URLs.
 */
export interface KioskPrinter {
  readonly device: Printer;
  /** Prints or throws KioskError (PRINTER_BUSY, PRINTER_OFFLINE, PRINTER_PAPER_OUT, PRINTER_COVER_OPEN, PRINTER_ERROR). */
  print(doc: ReceiptDoc): Promise<PrintResult>;
  /** `data:image/png;base64,…` of the receipt: the on-screen fallback when printing fails. */
  preview(doc: ReceiptDoc): Promise<string>;
  /**
   * Prints; when the printer cannot, answers the on-screen preview instead of throwing, so a
   * flow always has something to give the citizen.
   */
  /** Prints, or answers why not with the slip's on-screen copy: the one print-or-show of the kiosk. */
  printOrPreview(doc: ReceiptDoc): Promise<PrintOutcome>;
  status(opts?: { refresh?: boolean }): Promise<PrinterStatus>;
  testPage(): Promise<PrintResult>;
  close(): Promise<void>;
}

export interface PrinterDeps {
  events: EventBus;
  log: Logger;
}

const toKioskError = (e: unknown): unknown =>
  isPrinterError(e) ? new KioskError(e.code, e.message, e.status ? { status: e.status } : undefined) : e;

/** Stands in for a printer whose URI cannot be understood: the kiosk runs on, health shows why. */
function unusablePrinter(uri: string, reason: string, config: KioskConfig): Printer {
  const status = (): PrinterStatus => ({
    transport: 'none',
    state: 'error',
    online: false,
    coverOpen: false,
    paperNearEnd: false,
    paperOut: false,
    error: true,
    busy: false,
    source: 'none',
    printedMm: 0,
    estimatedRemainingMm: 0,
    lastError: reason,
    checkedAt: new Date().toISOString(),
  });
  const sim = createPrinter({ uri: 'sim', widthMm: config.printerWidthMm, pollMs: 0 });
  const refuse = async (): Promise<never> => {
    throw new KioskError('PRINTER_OFFLINE', `KIOSK_PRINTER ${uri}: ${reason}`);
  };
  return {
    uri,
    widthMm: config.printerWidthMm,
    mode: config.printerMode,
    profile: sim.profile,
    open: async () => status(),
    print: refuse,
    testPage: refuse,
    preview: (doc) => sim.preview(doc),
    status: async () => status(),
    resetPaperCounter: async () => undefined,
    on: () => () => undefined,
    close: async () => undefined,
  };
}

/** Creates and opens the configured printer (`config.printer`, width, mode, code page) and pushes its status as `device.printer`. */
export async function openKioskPrinter(config: KioskConfig, deps: PrinterDeps): Promise<KioskPrinter> {
  let device: Printer;
  try {
    device = createPrinter({
      uri: config.printer,
      widthMm: config.printerWidthMm,
      mode: config.printerMode,
      profile: config.printerProfile,
      codePage: config.printerCodePage,
      counterFile: join(config.dataDir, 'printer-paper.json'),
      // The kiosk's connection lives all day: download the frequent letters while nobody waits.
      warmUp: true,
    });
  } catch (e) {
    const reason = (e as Error).message;
    deps.log.error({ uri: config.printer, reason }, 'printer URI not understood; printing disabled');
    device = unusablePrinter(config.printer, reason, config);
  }
  device.on('status', (s) => {
    deps.events.emit('device.printer', s);
    const level = s.paperOut || s.coverOpen || !s.online ? 'warn' : 'info';
    deps.log[level](
      {
        printer: {
          state: s.state,
          online: s.online,
          paperOut: s.paperOut,
          paperNearEnd: s.paperNearEnd,
          coverOpen: s.coverOpen,
          lastError: s.lastError,
        },
      },
      'printer status',
    );
  });
  await device.open();

  const print = async (doc: ReceiptDoc) => {
    try {
      const r = await device.print(doc);
      deps.log.info({ receipt: doc.kind, bytes: r.bytes, lengthMm: Math.round(r.lengthMm) }, 'printed');
      return r;
    } catch (e) {
      deps.log.warn(
        { receipt: doc.kind, code: isPrinterError(e) ? e.code : undefined, err: (e as Error).message },
        'print failed',
      );
      throw toKioskError(e);
    }
  };
  const preview = async (doc: ReceiptDoc) => pngDataUrl(await device.preview(doc));

  return {
    device,
    print,
    preview,
    async printOrPreview(doc) {
      try {
        await print(doc);
        return { printed: true };
      } catch (e) {
        if (!(e instanceof KioskError)) throw e;
        return { printed: false, error: e.toBody(), preview: await preview(doc) };
      }
    },
    status: (opts) => device.status(opts),
    async testPage() {
      try {
        return await device.testPage({ kioskName: config.kioskName, at: localDateTime(new Date(), true) });
      } catch (e) {
        throw toKioskError(e);
      }
    },
    close: () => device.close(),
  };
}
