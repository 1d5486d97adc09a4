import { networkInterfaces } from 'node:os';
import { SerialPort } from 'serialport';
import type { Diagnostics, SerialPortInfo } from '../../contract/domains/tech.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  try {
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }));
  } catch {
    // No serial subsystem (container, Windows without drivers): an empty list says the same.
    return [];
  }
}

export function listNetwork(): Diagnostics['network'] {
  const out: Diagnostics['network'] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces()))
    for (const a of addrs ?? []) if (!a.internal) out.push({ name, address: a.address, family: a.family });
  return out;
}

/**
 * Reaches central's public /health and compares clocks with its Date header (second
 * precision; the midpoint of the request is our estimate of when central stamped it).
 */
export async function checkCentral(
  url: string,
  now: () => Date = () => new Date(),
  timeoutMs = 3_000,
): Promise<Diagnostics['central']> {
  const started = now().getTime();
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    const ended = now().getTime();
    const date = res.headers.get('date');
    const server = date ? Date.parse(date) : NaN;
    const mid = (started + ended) / 2;
    return {
      url,
      reachable: res.ok,
      latencyMs: ended - started,
      error: res.ok ? null : `HTTP ${res.status}`,
      serverTime: Number.isNaN(server) ? null : new Date(server).toISOString(),
      clockSkewMs: Number.isNaN(server) ? null : Math.round(mid - server),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return {
      url,
      reachable: false,
      latencyMs: null,
      error: e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message),
      serverTime: null,
      clockSkewMs: null,
    };
  }
}

export async function diagnostics(ctx: ApplianceContext): Promise<Diagnostics> {
  const [printer, docScanner, serialPorts, central] = await Promise.all([
    ctx.printer.status({ refresh: true }),
    ctx.docScanner.status({ refresh: true }),
    listSerialPorts(),
    checkCentral(ctx.config.centralUrl, () => ctx.clock.now()),
  ]);
  const s = ctx.scanner.status();
  const hb = ctx.db
    .prepare('SELECT last_sent_at, last_ok_at, last_error, config_revision FROM tech_heartbeat WHERE id = 1')
    .get() as
    | { last_sent_at: string | null; last_ok_at: string | null; last_error: string | null; config_revision: number }
    | undefined;
  return {
    version: ctx.version,
    uptimeS: Math.max(0, Math.floor((ctx.clock.now().getTime() - ctx.startedAt.getTime()) / 1000)),
    kioskId: ctx.config.kioskId,
    printer,
    scanner: { uri: s.uri, kind: s.kind, state: s.state, detail: s.detail },
    idReader: (({ uri, kind, state, detail, readers, card, cscaCount }) => ({
      uri,
      kind,
      state,
      detail,
      readers,
      card,
      cscaCount,
    }))(ctx.idReader.status()),
    docScanner,
    serialPorts,
    network: listNetwork(),
    central,
    storage: ctx.storage.check(),
    log: ctx.logHealth(),
    heartbeat: {
      lastSentAt: hb?.last_sent_at ?? null,
      lastOkAt: hb?.last_ok_at ?? null,
      lastError: hb?.last_error ?? null,
      configRevision: hb?.config_revision ?? 0,
    },
  };
}
