import { z } from 'zod';
import { PrinterStatus } from '../../drivers/printer/status.ts';
import { call, noInput, techCall } from '../define.ts';

export { PrinterStatus };

export const PrintTestResult = z.object({
  ok: z.literal(true),
  /** Paper the test page used. */
  lengthMm: z.number(),
  status: PrinterStatus,
});
export type PrintTestResult = z.infer<typeof PrintTestResult>;

export const calls = {
  /** The receipt printer's status; `refresh` asks the printer (DLE EOT) first. Also pushed as `device.printer`. */
  'devices.printerStatus': call(z.object({ refresh: z.boolean().default(false) }).strict(), PrinterStatus),
  /** Prints the test page (Vietnamese alphabet, QR, barcode, status). PRINTER_* errors when it cannot. */
  'devices.printTest': techCall(noInput, PrintTestResult),
};

export const events = {
  /** Every change of the printer's status (online, cover, paper, error, busy). */
  'device.printer': PrinterStatus,
};
