import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { LEVELS, readLogs, type LevelName } from '../../tech/logs.node.ts';
import { dataDirOf } from './enroll.node.ts';

export const logsCommand: Command = {
  name: 'logs',
  summary: 'show the kiosk logs (rotated files in the data directory), filtered',
  usage: 'kioskctl logs [--level warn] [--since 1h|ISO] [--grep TEXT] [--limit N] [--json]',
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          level: { type: 'string' },
          since: { type: 'string' },
          grep: { type: 'string' },
          limit: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
        strict: true,
      }));
    } catch (err) {
      io.err(`${(err as Error).message}\nusage: ${this.usage}`);
      return 2;
    }
    if (values.level && !(values.level in LEVELS)) {
      io.err(`--level: one of ${Object.keys(LEVELS).join(', ')}`);
      return 2;
    }
    const limit = values.limit ? Number(values.limit) : 200;
    if (!Number.isInteger(limit) || limit < 1) {
      io.err('--limit: a positive whole number');
      return 2;
    }
    let entries;
    try {
      entries = readLogs(dataDirOf(io.env), {
        ...(values.level ? { level: values.level as LevelName } : {}),
        ...(values.since ? { since: values.since } : {}),
        ...(values.grep ? { grep: values.grep } : {}),
        limit,
      });
    } catch (err) {
      if (err instanceof RangeError) {
        io.err(err.message);
        return 2;
      }
      throw err;
    }
    for (const e of entries)
      io.out(
        values.json
          ? JSON.stringify(e)
          : `${e.time} ${e.level.toUpperCase().padEnd(5)} ${e.msg}${e.fields ? ` ${e.fields}` : ''}`,
      );
    return 0;
  },
};
