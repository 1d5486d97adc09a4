import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { loadConfigOrReport } from '../../config/config.node.ts';
import { openDatabase } from '../../store/db.node.ts';
import { Outbox } from '../../sync/outbox.node.ts';

const USAGE = [
  'kioskctl outbox [--json]',
  'kioskctl outbox retry <id|--all>',
  'kioskctl outbox export [--file FILE]',
].join('\n       ');

/**
 * The outbox for technicians: counts and parked entries (with reasons), retry, export. Works on
 * the kiosk database beside a running kiosk (WAL); the running engine picks retried entries up
 * within a minute, or at once from the technician screen.
 */
export const outboxCommand: Command = {
  name: 'outbox',
  summary: 'show outbox counts and parked entries; retry or export them',
  usage: USAGE,
  async run(args, io) {
    const config = loadConfigOrReport(io.env, io.err);
    if (!config) return 1;
    const { dataDir } = config;
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    const outbox = new Outbox(db, { recoverInflight: false });
    try {
      const [verb, ...rest] = args;
      if (!verb || verb === '--json') {
        const counts = outbox.counts({ withDone: true });
        const parked = outbox.list({ status: 'parked', limit: 50 });
        if (verb === '--json') {
          io.out(JSON.stringify({ counts, parked: parked.map(({ payload: _p, ...e }) => e) }));
          return 0;
        }
        io.out(
          `Chờ gửi / pending: ${counts.pending}   Đang gửi / inflight: ${counts.inflight}   Tạm giữ / parked: ${counts.parked}   Đã gửi / done: ${counts.done}`,
        );
        if (parked.length) {
          io.out('');
          io.out('Parked entries (kioskctl outbox retry <id|--all>):');
          for (const e of parked)
            io.out(`  #${e.id}  ${e.kind}  ${e.createdAt}  attempts ${e.attempts}  ${e.lastError ?? ''}`);
          if (counts.parked > parked.length) io.out(`  … and ${counts.parked - parked.length} more`);
        }
        return 0;
      }
      if (verb === 'retry') {
        const target = rest[0];
        if (target === '--all') {
          io.out(`retried ${outbox.retry('all')} entries`);
          return 0;
        }
        if (!target || !/^\d+$/.test(target)) {
          io.err(`usage: ${USAGE}`);
          return 2;
        }
        const n = outbox.retry(Number(target));
        if (n === 0) {
          io.err(`#${target}: no parked or pending entry with that id`);
          return 1;
        }
        io.out(`#${target} will be sent again`);
        return 0;
      }
      if (verb === 'export') {
        const i = rest.indexOf('--file');
        const entries = [];
        for (let afterId = 0; ;) {
          const page = outbox.list({ status: 'parked', afterId, limit: 500 });
          entries.push(...page);
          if (page.length < 500) break;
          afterId = page.at(-1)!.id;
        }
        // Parked payloads can hold personal data: to a file the technician names, or stdout.
        const json = JSON.stringify({ exportedAt: new Date().toISOString(), entries }, null, 2);
        if (i >= 0 && rest[i + 1]) {
          writeFileSync(rest[i + 1]!, `${json}\n`, { mode: 0o600 });
          io.out(`exported ${entries.length} parked entries to ${rest[i + 1]}`);
        } else io.out(json);
        return 0;
      }
      io.err(`kioskctl outbox: unknown action "${verb}"\nusage: ${USAGE}`);
      return 2;
    } finally {
      db.close();
    }
  },
};
