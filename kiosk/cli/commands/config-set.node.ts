import { join } from 'node:path';
import type { CommandIO } from '../command.ts';
import { openDatabase } from '../../store/db.node.ts';
import { audit } from '../../tech/audit.node.ts';
import { ConfigWriteError, parseCliValue, setConfigKey } from '../../tech/config-file.node.ts';
import { PIN_PATTERN, PinGuard, type PinRole } from '../../tech/pin.node.ts';
import { systemClock } from '../../core/clock.ts';
import { dataDirOf } from './enroll.node.ts';

/** Not kiosk.json keys: the PINs go into the kiosk database as scrypt hashes. */
export const PIN_KEYS: Readonly<Record<string, PinRole>> = { technicianPin: 'technician', officerPin: 'officer' };

const PIN_SET: Record<PinRole, string> = {
  technician: 'Đã đặt mã PIN kỹ thuật / Technician PIN set',
  officer: 'Đã đặt mã PIN bàn cán bộ / Officer desk PIN set',
};

/** Stores a PIN (6–12 digits) for `role` in the kiosk database, audited; the message is for the console. */
export async function storePin(dataDir: string, role: PinRole, pin: string, io: CommandIO): Promise<number> {
  if (!PIN_PATTERN.test(pin)) {
    io.err('Mã PIN phải gồm 6–12 chữ số / the PIN must be 6 to 12 digits');
    return 1;
  }
  const db = openDatabase(join(dataDir, 'kiosk.db'));
  try {
    await new PinGuard(db, systemClock, undefined, role).set(pin);
    audit(db, systemClock, role, role === 'officer' ? 'officer.pinChanged' : 'tech.pinChanged', { via: 'kioskctl' });
  } finally {
    db.close();
  }
  io.out(PIN_SET[role]);
  return 0;
}

/** `kioskctl config set KEY VALUE`: validated against the config schema before anything is written. */
export async function configSet(args: string[], io: CommandIO): Promise<number> {
  const [key, raw, ...extra] = args;
  if (!key || raw === undefined || extra.length) {
    io.err(
      'usage: kioskctl config set KEY VALUE   (e.g. printer serial:/dev/ttyUSB0?baud=19200, timeouts.idleWarningMs 90000, technicianPin 246810, officerPin 135791)',
    );
    return 2;
  }
  const dataDir = dataDirOf(io.env);
  const role = PIN_KEYS[key];
  if (role) return storePin(dataDir, role, raw, io);
  try {
    const config = setConfigKey(dataDir, key, parseCliValue(raw));
    const top = key.split('.')[0] as keyof typeof config;
    io.out(
      `${key} = ${JSON.stringify(
        key.includes('.')
          ? key
              .split('.')
              .slice(1)
              .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], config[top])
          : config[top],
      )}`,
    );
    io.out(
      'Khởi động lại kiosk hoặc đổi trong chế độ kỹ thuật để áp dụng ngay / Restart the kiosk (or use technician settings) to apply',
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigWriteError) {
      io.err(`Cấu hình không hợp lệ / Invalid configuration: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
