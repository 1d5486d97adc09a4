import type { Logger } from 'pino';
import type * as pkijs from 'pkijs';
import { loadCscaFile } from '../../drivers/chip/pa.node.ts';
import { PcscIdReader } from '../../drivers/chip/pcsc.node.ts';
import { parseIdReaderUri, type IdReader, type MrzKeyInput } from '../../drivers/chip/reader.ts';
import { SimIdReader } from '../../drivers/chip/sim.node.ts';
import type { ChipRead } from '../../drivers/chip/types.ts';
import type { IdReaderStatus } from '../../contract/domains/chip.ts';
import type { EventBus } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';

/**
 * The kiosk's Căn cước chip reader. The CSCA list is loaded at start (a bad file is logged and
 * shown in status, never fatal: the kiosk runs on with QR only, and no chip is "verified").
 * Logs carry codes, phases and the reader state only: never chip data.
 */
export interface KioskIdReader {
  readonly device: IdReader | null;
  status(): IdReaderStatus;
  read(key: MrzKeyInput): Promise<ChipRead>;
  close(): Promise<void>;
}

export interface IdReaderDeps {
  events: EventBus;
  log: Logger;
}

export async function openIdReader(
  config: Pick<KioskConfig, 'idReader' | 'chipCscaFile'>,
  deps: IdReaderDeps,
): Promise<KioskIdReader> {
  const uri = config.idReader;
  let cscas: pkijs.Certificate[] = [];
  let cscaError: string | null = null;
  if (config.chipCscaFile) {
    try {
      cscas = loadCscaFile(config.chipCscaFile);
    } catch (err) {
      cscaError = (err as Error).message;
      deps.log.error(
        { file: config.chipCscaFile, reason: cscaError },
        'CSCA list not loaded; chips cannot be verified',
      );
    }
  }
  const parsed = parseIdReaderUri(uri);
  let device: IdReader | null = null;
  let invalid: string | null = null;
  if (!parsed.ok) {
    invalid = `KIOSK_IDREADER: ${parsed.message}`;
    deps.log.error({ uri, reason: parsed.message }, 'ID card reader URI not understood; chip reading disabled');
  } else if (parsed.config.kind === 'pcsc')
    device = new PcscIdReader(uri, parsed.config.reader, { cscas: () => cscas });
  else if (parsed.config.kind === 'sim') device = new SimIdReader(uri, () => cscas);

  const status = (): IdReaderStatus => {
    const kind = invalid ? 'invalid' : (device?.kind ?? 'none');
    const s = device?.status();
    return {
      uri,
      kind,
      state: s?.state ?? (invalid ? 'error' : 'closed'),
      detail: invalid ?? cscaError ?? s?.detail ?? null,
      since: (s?.since ?? new Date()).toISOString(),
      readers: s?.readers ?? [],
      card: s?.card ?? false,
      cscaCount: cscas.length,
    };
  };

  if (device) {
    device.onStatus((s) => {
      deps.log[s.state === 'error' ? 'warn' : 'info'](
        { idReader: uri, state: s.state, detail: s.detail, card: s.card },
        'ID card reader status',
      );
      deps.events.emit('chip.status', status());
    });
    await device.start();
  }

  return {
    device,
    status,
    async read(key) {
      if (!device)
        return {
          ok: false,
          code: 'NO_CARD',
          message: { vi: 'Kiosk này không có đầu đọc chip.', en: 'This kiosk has no chip reader.' },
          phases: {},
        };
      const result = await device.read(key);
      // Outcome and timings only: the chip's contents never reach the log.
      deps.log.info({ ok: result.ok, ...(result.ok ? {} : { code: result.code }), phases: result.phases }, 'chip read');
      return result;
    },
    close: async () => {
      await device?.close();
    },
  };
}
