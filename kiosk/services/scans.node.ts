import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { classifyScan } from '../../drivers/id/index.ts';
import { recogniseTicket } from '../devices/scanner.node.ts';
import { ticketIdOfToken } from '../tickets/desk.node.ts';

export function scansHandlers(
  ctx: ApplianceContext,
): Pick<Handlers, 'scans.submit' | 'scans.classify' | 'scans.simulate' | 'scans.status'> {
  return {
    'scans.submit': ({ text, source }) => ctx.scanner.publish(text, source),
    'scans.classify': ({ text }) =>
      recogniseTicket(classifyScan(text, 'manual'), (token) => ticketIdOfToken(ctx.db, token)),
    'scans.simulate': ({ text }) => {
      if (!ctx.scanner.simulate(text))
        throw new KioskError(
          'FORBIDDEN',
          `scans.simulate needs the sim scanner; this kiosk uses ${ctx.scanner.device.uri}`,
        );
      return { ok: true as const };
    },
    'scans.status': () => ctx.scanner.status(),
  };
}
