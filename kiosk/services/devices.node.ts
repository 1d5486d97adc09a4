import type { Handlers } from '../api/dispatch.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';

export function devicesHandlers(ctx: ApplianceContext): Pick<Handlers, 'devices.printerStatus' | 'devices.printTest'> {
  return {
    'devices.printerStatus': ({ refresh }) => ctx.printer.status({ refresh }),
    'devices.printTest': async () => {
      const r = await ctx.printer.testPage();
      return { ok: true as const, lengthMm: r.lengthMm, status: r.status };
    },
  };
}
