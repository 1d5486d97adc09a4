import { join } from 'node:path';
import type { Command } from '../command.ts';
import { ConfigError, loadConfig } from '../../config/config.node.ts';
import { openDatabase } from '../../store/db.node.ts';
import { setOfficerPin } from '../../tickets/officer.node.ts';

/**
 * `kioskctl officer-pin set [PIN]`: stores the officer desk PIN (scrypt) in the kiosk database,
 * replacing the demo PIN. Without PIN on the command line it is read from the first line of
 * stdin, so it stays out of the shell history.
 */
export const officerPinCommand: Command = {
  name: 'officer-pin',
  summary: 'set the officer desk PIN (4–12 digits; replaces the demo PIN 246810)',
  usage: 'kioskctl officer-pin set [PIN]   (PIN from stdin when omitted)',
  async run(args, io) {
    const [verb, given] = args;
    if (verb !== 'set') {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const pin = (given ?? (await readLine())).trim();
    if (!/^\d{4,12}$/.test(pin)) {
      io.err('Mã PIN phải gồm 4–12 chữ số / the PIN must be 4–12 digits');
      return 2;
    }
    let dataDir: string;
    try {
      dataDir = loadConfig(io.env).dataDir;
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(err.message);
        return 1;
      }
      throw err;
    }
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    try {
      setOfficerPin(db, pin);
    } finally {
      db.close();
    }
    io.out('Đã đặt mã PIN bàn cán bộ / officer desk PIN set');
    return 0;
  },
};

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) {
        process.stdin.pause();
        resolve(text.split('\n')[0]!);
      }
    });
    process.stdin.on('end', () => resolve(text));
  });
}
