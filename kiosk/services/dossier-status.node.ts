import type { ApplianceContext } from '../appliance/context.node.ts';
import { parseDossierQr } from '../../drivers/id/dossier.ts';
import { DossierLookup, PROVISIONAL_RE } from '../../protocol/dossiers.ts';
import { OfficeConfig } from '../../protocol/office.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { DossierStatusResult } from '../../contract/domains/catalog.ts';
import { KioskError } from '../../contract/errors.ts';
import { dossierStatusReceipt } from '../catalog/receipts.ts';
import { CentralClientError } from '../sync/central-client.node.ts';
import { officeName } from './catalog.node.ts';

const cacheName = (code: string) => `lookup:dossier:${code}`;

/** The province part of an agency id (`000.31.12.H12` → `H12`). */
const provinceOf = (agencyId: string): string => agencyId.split('.').at(-1) ?? '';

/**
 * Dossier status: the code is taken from whatever was typed or scanned (bare code, lookup
 * URL, structured receipt QR: drivers/id), checked against this office's province, then asked
 * of central (`GET /v1/dossiers/:code`). The answer is kept, so when central cannot be reached
 * the citizen still sees the last known status with its age.
 */
export function dossierStatusHandlers(ctx: ApplianceContext): Pick<Handlers, 'dossier.status' | 'dossier.printStatus'> {
  return {
    'dossier.status': async ({ text }): Promise<DossierStatusResult> => {
      const trimmed = text.trim();
      // Typed codes may come in lower case ("h12"); URLs and receipt texts are read as they are.
      const input = /^[0-9a-z.\-]+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
      const parsed = parseDossierQr(input);
      let code: string;
      if (parsed?.ok) {
        code = parsed.value.code;
        const ours = ctx.cache.read('office-config', OfficeConfig)?.value.agencyCode;
        if (ours && provinceOf(ours) !== provinceOf(parsed.value.agencyId))
          return { kind: 'other-province', code, agencyId: parsed.value.agencyId };
      } else if (PROVISIONAL_RE.test(input)) {
        // A provisional receipt's number (kiosk id + local number): central answers with the
        // dossier code it gave once the submission synced.
        code = input;
      } else return { kind: 'malformed', text: trimmed.slice(0, 200) };
      try {
        const got = await ctx.cache.fetch(cacheName(code), `/v1/dossiers/${encodeURIComponent(code)}`, DossierLookup);
        return {
          kind: 'found',
          dossier: got.value,
          stale: got.stale,
          checkedAt: got.checkedAt,
          ageMs: Math.round(got.ageMs),
        };
      } catch (err) {
        if (err instanceof CentralClientError && err.kind === 'REJECTED' && err.status === 404)
          return { kind: 'unknown', code };
        if (err instanceof CentralClientError) return { kind: 'offline', code };
        throw err;
      }
    },
    'dossier.printStatus': async ({ code }) => {
      const cached = ctx.cache.read(cacheName(code), DossierLookup);
      if (!cached) throw new KioskError('NOT_FOUND', `dossier ${code} was not looked up on this kiosk`);
      const doc = dossierStatusReceipt(cached.value, {
        officeName: officeName(ctx),
        printedAt: ctx.clock.now(),
        checkedAt: new Date(cached.checkedAt),
        stale: cached.ageMs > 60_000,
      });
      return ctx.printer.printOrPreview(doc);
    },
  };
}
