import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { SimIdReader } from '../../drivers/chip/sim.node.ts';
import type { ChipPerson } from '../../drivers/chip/types.ts';
import type { Applicant } from '../../protocol/dossiers.ts';

/** The last chip read that passed passive authentication, per kiosk, until the session ends. Kept in memory only. */
const verified = new WeakMap<object, ChipPerson>();

/**
 * The one rule for "chip-verified": the submitted applicant is exactly the person the chip said
 * (ID, birth date, sex, name) in this session. A renderer's claim alone never makes it so.
 */
export function chipVerifiedApplicant(
  ctx: ApplianceContext,
  applicant: Pick<Applicant, 'idNumber' | 'fullName' | 'birthDate' | 'sex'>,
): boolean {
  const p = verified.get(ctx);
  if (!p) return false;
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');
  return (
    p.id === applicant.idNumber &&
    p.birthDate === applicant.birthDate &&
    (p.sex === null || p.sex === applicant.sex) &&
    norm(p.fullName) === norm(applicant.fullName)
  );
}

export function chipHandlers(ctx: ApplianceContext): Pick<Handlers, 'chip.status' | 'chip.read' | 'chip.simulate'> {
  ctx.onSessionEnd(() => verified.delete(ctx));
  return {
    'chip.status': () => ctx.idReader.status(),
    'chip.read': async (key) => {
      const result = await ctx.idReader.read(key);
      if (result.ok) verified.set(ctx, result.person);
      else verified.delete(ctx);
      return result;
    },
    'chip.simulate': async (input) => {
      const device = ctx.idReader.device;
      if (!(device instanceof SimIdReader))
        throw new KioskError(
          'FORBIDDEN',
          `chip.simulate needs the sim chip reader; this kiosk uses ${ctx.config.idReader}`,
        );
      if (input.action === 'remove') {
        device.remove();
        return { ok: true as const, mrz: null };
      }
      const { mrz } = await device.insert({ tamperDg13: input.tampered });
      return { ok: true as const, mrz };
    },
  };
}
