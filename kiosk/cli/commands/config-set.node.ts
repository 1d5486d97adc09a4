import { join } from 'node:path';
import type { CommandIO } from '../command.ts';
import { openDatabase } from '../../store/db.node.ts';
import { audit } from '../../tech/audit.node.ts';
import { ConfigWriteError, parseCliValue, setConfigKey } from '../../tech/config-file.node.ts';
import { PIN_PATTERN, PinGuard } from '../../tech/pin.node.ts';
import { systemClock } from '../../core/context.ts';
import { dataDirOf } from './enroll.node.ts';

/** Not a kiosk.json key: the technician PIN goes into the kiosk database as a scrypt hash. */
export const PIN_KEY = 'technicianPin';

/** `kioskctl config set KEY VALUE`: validated against the config schema before anything is written. */
export async function configSet(args: string[], io: CommandIO): Promise<number> {
  const [key, raw, ...extra] = args;
  if (!key || raw === undefined || extra.length) {
    io.err('usage: kioskctl config set KEY VALUE   (e.g. printer serial:/dev/ttyUSB0?baud=19200, timeouts.idleWarningMs 90000, technicianPin 246810)');
    return 2;
  }
  const dataDir = dataDirOf(io.env);
  if (key === PIN_KEY) {
    if (!PIN_PATTERN.test(raw)) {
      io.err('technicianPin: 6 to 12 digits');
      return 1;
    }
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    try {
      await new PinGuard(db, systemClock).set(raw);
      audit(db, systemClock, 'technician', 'tech.pinChanged', { via: 'kioskctl' });
    } finally {
      db.close();
    }
    io.out('Đã đặt mã PIN kỹ thuật / Technician PIN set');
    return 0;
  }
  try {
    const config = setConfigKey(dataDir, key, parseCliValue(raw));
    const top = key.split('.')[0] as keyof typeof config;
    io.out(`${key} = ${JSON.stringify(key.includes('.') ? key.split('.').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], config[top]) : config[top])}`);
    io.out('Khởi động lại kiosk hoặc đổi trong chế độ kỹ thuật để áp dụng ngay / Restart the kiosk (or use technician settings) to apply');
    return 0;
  } catch (err) {
    if (err instanceof ConfigWriteError) {
      io.err(`Cấu hình không hợp lệ / Invalid configuration: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
