import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { createPrinter, parsePrinterUri } from '../../../drivers/printer/index.node.ts';
import { createScanner } from '../../../drivers/scanner/create.node.ts';
import { parseScannerUri } from '../../../drivers/scanner/uri.ts';
import { loadConfigOrReport, type KioskConfig } from '../../config/config.node.ts';
import type { Command } from '../command.ts';
import { pino } from 'pino';
import { parseIdReaderUri } from '../../../drivers/chip/reader.ts';
import { EventBus } from '../../api/dispatch.ts';
import { openIdReader } from '../../devices/idreader.node.ts';

interface DeviceRow {
  role: 'printer' | 'scanner' | 'idreader';
  uri: string;
  /** What was found without opening the device, or what opening it said with --probe. */
  status: string;
  detail?: string;
}

/** The device path a URI names, to check it exists without opening (the kiosk may hold it). */
function devicePath(role: DeviceRow['role'], uri: string): string | null {
  if (role === 'idreader') return null;
  try {
    if (role === 'printer') {
      const p = parsePrinterUri(uri);
      return p.kind === 'serial' || p.kind === 'usb' ? p.path : null;
    }
    const s = parseScannerUri(uri);
    return s.ok && s.config.kind === 'serial' ? s.config.path : null;
  } catch {
    return null;
  }
}

function passiveRow(role: DeviceRow['role'], uri: string): DeviceRow {
  if (role === 'scanner') {
    const parsed = parseScannerUri(uri);
    if (!parsed.ok) return { role, uri, status: 'invalid', detail: parsed.message };
    if (parsed.config.kind !== 'serial')
      return { role, uri, status: parsed.config.kind === 'sim' ? 'simulated' : 'read in the renderer' };
  } else {
    try {
      const p = parsePrinterUri(uri);
      if (p.kind === 'sim') return { role, uri, status: 'simulated' };
      if (p.kind === 'tcp' || p.kind === 'file')
        return { role, uri, status: 'configured', detail: 'use --probe to connect' };
    } catch (err) {
      return { role, uri, status: 'invalid', detail: (err as Error).message };
    }
  }
  const path = devicePath(role, uri);
  return path && existsSync(path)
    ? { role, uri, status: 'present', detail: path }
    : { role, uri, status: 'missing', detail: `${path} does not exist (unplugged?)` };
}

/** The chip reader: parsed without --probe; with it, pcscd asked for its readers and a card (briefly). */
async function idReaderRow(config: KioskConfig, probeIt: boolean): Promise<DeviceRow> {
  const uri = config.idReader;
  const parsed = parseIdReaderUri(uri);
  if (!parsed.ok) return { role: 'idreader', uri, status: 'invalid', detail: parsed.message };
  if (parsed.config.kind === 'none') return { role: 'idreader', uri, status: 'none' };
  const csca = config.chipCscaFile
    ? existsSync(config.chipCscaFile)
      ? `CSCA ${config.chipCscaFile}`
      : `CSCA file missing: ${config.chipCscaFile}`
    : 'no CSCA list: chips cannot be verified';
  if (parsed.config.kind === 'sim') return { role: 'idreader', uri, status: 'simulated', detail: csca };
  if (!probeIt) return { role: 'idreader', uri, status: 'configured', detail: `use --probe to ask pcscd; ${csca}` };
  const reader = await openIdReader(
    { idReader: uri, chipCscaFile: config.chipCscaFile },
    { events: new EventBus(), log: pino({ level: 'silent' }) },
  );
  try {
    const until = Date.now() + 1500;
    while (Date.now() < until && reader.status().state !== 'ready') await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const s = reader.status();
    const readers = s.readers.length ? s.readers.join(' | ') : 'no reader';
    return {
      role: 'idreader',
      uri,
      status: s.state,
      detail: `${s.detail ? `${s.detail}; ` : ''}${readers}; card: ${s.card ? 'yes' : 'no'}; ${csca}`,
    };
  } finally {
    await reader.close();
  }
}

/** Opens each configured device briefly and reports what it said. The kiosk must not be holding them. */
async function probe(config: KioskConfig): Promise<DeviceRow[]> {
  const rows: DeviceRow[] = [];
  const printer = createPrinter({
    uri: config.printer,
    widthMm: config.printerWidthMm,
    mode: config.printerMode,
    profile: config.printerProfile,
    pollMs: 0,
    reconnectMinMs: 60_000,
    reconnectMaxMs: 60_000,
  });
  try {
    await printer.open();
    const s = await printer.status({ refresh: true });
    const flags = (['coverOpen', 'paperNearEnd', 'paperOut', 'error'] as const).filter((k) => s[k]);
    rows.push({
      role: 'printer',
      uri: config.printer,
      status: s.state,
      detail: [s.online ? 'online' : 'offline', ...flags].join(', '),
    });
  } catch (err) {
    rows.push({ role: 'printer', uri: config.printer, status: 'error', detail: (err as Error).message });
  } finally {
    await printer.close();
  }
  const created = createScanner(config.scanner, { retryMinMs: 60_000, retryMaxMs: 60_000 });
  if (!created.ok) rows.push({ role: 'scanner', uri: config.scanner, status: 'invalid', detail: created.message });
  else {
    await created.scanner.start();
    const s = created.scanner.status();
    rows.push({ role: 'scanner', uri: config.scanner, status: s.state, ...(s.detail ? { detail: s.detail } : {}) });
    await created.scanner.close();
  }
  rows.push(await idReaderRow(config, true));
  return rows;
}

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'list serial ports and the configured printer, scanner and chip reader with their status',
  usage: 'kioskctl devices [--probe] [--json]',
  async run(args, io) {
    const unknown = args.filter((a) => a !== '--json' && a !== '--probe');
    if (unknown.length) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const config = loadConfigOrReport(io.env, io.err);
    if (!config) return 1;
    const ports = await SerialPort.list().catch(() => []);
    const devices = args.includes('--probe')
      ? await probe(config)
      : [
          passiveRow('printer', config.printer),
          passiveRow('scanner', config.scanner),
          await idReaderRow(config, false),
        ];
    if (args.includes('--json')) {
      io.out(JSON.stringify({ serialPorts: ports, devices }, null, 2));
    } else {
      io.out(`Cổng nối tiếp / serial ports (${ports.length}):`);
      if (ports.length === 0) io.out('  (không có / none)');
      for (const p of ports) {
        const id = p.vendorId ? ` [${p.vendorId}:${p.productId ?? '?'}]` : '';
        io.out(`  ${p.path.padEnd(20)} ${[p.manufacturer, p.serialNumber].filter(Boolean).join(' ')}${id}`);
      }
      io.out('Thiết bị cấu hình / configured devices:');
      for (const d of devices)
        io.out(`  ${d.role.padEnd(8)} ${d.uri.padEnd(40)} ${d.status}${d.detail ? ` — ${d.detail}` : ''}`);
    }
    return devices.some((d) => d.status === 'invalid' || d.status === 'missing' || d.status === 'error') ? 1 : 0;
  },
};
