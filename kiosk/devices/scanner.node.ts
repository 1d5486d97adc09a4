import type { Logger } from 'pino';
import { createScanner } from '../../drivers/scanner/create.node.ts';
import { SimScanner } from '../../drivers/scanner/sim.ts';
import { BaseScanner, type Scanner, type ScanSourceKind } from '../../drivers/scanner/types.ts';
import { classifyScan, type ScanResult, type ScanSource } from '../../drivers/id/index.ts';
import type { ScannerStatus } from '../../contract/domains/scans.ts';
import type { EventBus } from '../api/dispatch.ts';

/**
 * The kiosk's one stream of scans. Whatever reads the code (a serial scanner here in Node, a
 * keyboard wedge or the camera in the renderer, the sim), the text is classified here and
 * pushed to the renderer as `scan.received`.
 */
export interface KioskScanner {
  readonly device: Scanner;
  /** Classify and push into the stream; answers the classification. */
  publish(text: string, source: ScanSource): ScanResult;
  /** Makes the sim scanner read `text`; false when the configured scanner is not `sim`. */
  simulate(text: string): boolean;
  status(): ScannerStatus;
  close(): Promise<void>;
}

/** Stands in for a scanner whose URI cannot be understood: the kiosk runs on, health shows why. */
class InvalidScanner extends BaseScanner {
  readonly kind: ScanSourceKind = 'sim';
  constructor(
    uri: string,
    private readonly reason: string,
  ) {
    super(uri);
  }
  async start(): Promise<void> {
    this.setStatus('error', this.reason);
  }
  async close(): Promise<void> {
    this.setStatus('closed');
  }
}

export interface ScannerDeps {
  events: EventBus;
  log: Logger;
  /** This kiosk's ticket under a live-page token (a scanned `…/t/<token>`), so it knows its own tickets. */
  ticketOfToken?(token: string): string | null;
}

/** A scanned ticket page address: filled in with the ticket id when this kiosk issued it. */
export function recogniseTicket(result: ScanResult, ticketOfToken?: (token: string) => string | null): ScanResult {
  if (result.kind !== 'ticket' || result.ticket.ticketId || !result.ticket.token || !ticketOfToken) return result;
  const ticketId = ticketOfToken(result.ticket.token);
  return ticketId ? { ...result, ticket: { ...result.ticket, ticketId } } : result;
}

export async function openScanner(uri: string, deps: ScannerDeps): Promise<KioskScanner> {
  const created = createScanner(uri);
  const valid = created.ok;
  const device: Scanner = created.ok ? created.scanner : new InvalidScanner(uri, `KIOSK_SCANNER: ${created.message}`);
  if (!created.ok) deps.log.error({ uri, reason: created.message }, 'scanner URI not understood; scanning disabled');

  const status = (): ScannerStatus => {
    const s = device.status();
    return {
      uri: device.uri,
      kind: valid ? device.kind : 'invalid',
      state: s.state,
      detail: s.detail,
      since: s.since.toISOString(),
    };
  };
  const publish = (text: string, source: ScanSource, at = new Date()): ScanResult => {
    const result = recogniseTicket(classifyScan(text, source), deps.ticketOfToken);
    // The kind and length only: scans carry citizens' personal data, which never goes to the log.
    deps.log.info(
      {
        source,
        kind: result.kind,
        length: text.length,
        ...(result.kind === 'error' ? { error: result.error.code } : {}),
      },
      'scan',
    );
    deps.events.emit('scan.received', { source, at: at.toISOString(), result });
    return result;
  };

  device.onScan((scan) => publish(scan.text, scan.source, scan.at));
  device.onStatus((s) => {
    deps.log[s.state === 'error' ? 'warn' : 'info'](
      { scanner: device.uri, state: s.state, detail: s.detail },
      'scanner status',
    );
    deps.events.emit('scanner.status', status());
  });
  await device.start();

  return {
    device,
    publish: (text, source) => publish(text, source),
    simulate(text) {
      if (!(device instanceof SimScanner)) return false;
      device.inject(text);
      return true;
    },
    status,
    close: () => device.close(),
  };
}
