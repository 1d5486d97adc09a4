import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../api/errors.ts';
import type { ApplianceContext } from '../core/context.ts';
import { SimIdReader } from '../../drivers/chip/sim.node.ts';

export function chipHandlers(ctx: ApplianceContext): Pick<Handlers, 'chip.status' | 'chip.read' | 'chip.simulate'> {
  return {
    'chip.status': () => ctx.idReader.status(),
    'chip.read': (key) => ctx.idReader.read(key),
    'chip.simulate': async (input) => {
      const device = ctx.idReader.device;
      if (!(device instanceof SimIdReader)) throw new KioskError('FORBIDDEN', `chip.simulate needs the sim chip reader; this kiosk uses ${ctx.config.idReader}`);
      if (input.action === 'remove') {
        device.remove();
        return { ok: true as const, mrz: null };
      }
      const { mrz } = await device.insert({ tamperDg13: input.tampered });
      return { ok: true as const, mrz };
    },
  };
}
