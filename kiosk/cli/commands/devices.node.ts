import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { createPrinter, parsePrinterUri } from '../../../drivers/printer/index.node.ts';
import { createScanner } from '../../../drivers/scanner/create.node.ts';
import { parseScannerUri } from '../../../drivers/scanner/uri.ts';
import { loadConfigOrReport, type KioskConfig } from '../../config/config.node.ts';
import type { Command } from '../command.ts';

interface DeviceRow {
  role: 'printer' | 'scanner';
  uri: string;
  /** What was found without opening the device, or what opening it said with --probe. */
  status: string;
  detail?: string;
}

/** The device path a URI names, to check it exists without opening (the kiosk may hold it). */
function devicePath(role: DeviceRow['role'], uri: string): string | null {
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
    if (parsed.config.kind !== 'serial') return { role, uri, status: parsed.config.kind === 'sim' ? 'simulated' : 'read in the renderer' };
  } else {
    try {
      const p = parsePrinterUri(uri);
      if (p.kind === 'sim') return { role, uri, status: 'simulated' };
      if (p.kind === 'tcp' || p.kind === 'file') return { role, uri, status: 'configured', detail: 'use --probe to connect' };
    } catch (err) {
      return { role, uri, status: 'invalid', detail: (err as Error).message };
    }
  }
  const path = devicePath(role, uri);
  return path && existsSync(path) ? { role, uri, status: 'present', detail: path } : { role, uri, status: 'missing', detail: `${path} does not exist (unplugged?)` };
}

/** Opens each configured device briefly and reports what it said. The kiosk must not be holding them. */
async function probe(config: KioskConfig): Promise<DeviceRow[]> {
  const rows: DeviceRow[] = [];
  const printer = createPrinter({ uri: config.printer, widthMm: config.printerWidthMm, mode: config.printerMode, pollMs: 0, reconnectMinMs: 60_000, reconnectMaxMs: 60_000 });
  try {
    await printer.open();
    const s = await printer.status({ refresh: true });
    const flags = (['coverOpen', 'paperNearEnd', 'paperOut', 'error'] as const).filter((k) => s[k]);
    rows.push({ role: 'printer', uri: config.printer, status: s.state, detail: [s.online ? 'online' : 'offline', ...flags].join(', ') });
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
  return rows;
}

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'list serial ports and the configured printer and scanner with their status',
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
    const devices = args.includes('--probe') ? await probe(config) : [passiveRow('printer', config.printer), passiveRow('scanner', config.scanner)];
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
      for (const d of devices) io.out(`  ${d.role.padEnd(8)} ${d.uri.padEnd(40)} ${d.status}${d.detail ? ` — ${d.detail}` : ''}`);
    }
    return devices.some((d) => d.status === 'invalid' || d.status === 'missing' || d.status === 'error') ? 1 : 0;
  },
};
