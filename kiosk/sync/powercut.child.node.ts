/**
 * Child process of the power-cut test: enqueues submissions (domain row + outbox entry in one
 * transaction), optionally while the sync engine sends them, and prints `ack <n> <key>` after
 * each commit — the moment a citizen would be told "saved". The parent kills it with SIGKILL.
 * argv: <db file> <start n> [central url] [credentials json]
 */
import { pino } from 'pino';
import { openDatabase } from '../store/db.node.ts';
import { CentralClient } from './central-client.node.ts';
import { Credentials } from './credentials.node.ts';
import { SyncEngine } from './engine.node.ts';
import { enqueue, Outbox } from './outbox.node.ts';

const [file, startArg, centralUrl, credsJson] = process.argv.slice(2);
const db = openDatabase(file!);
db.exec(
  'CREATE TABLE IF NOT EXISTS t_submission (n INTEGER PRIMARY KEY, outbox_key TEXT NOT NULL, citizen TEXT NOT NULL)',
);
const outbox = new Outbox(db);
if (centralUrl && credsJson) {
  const creds = Credentials.parse(JSON.parse(credsJson));
  const client = new CentralClient({ baseUrl: centralUrl, credentials: () => creds, timeoutMs: 2_000 });
  new SyncEngine({
    outbox,
    client,
    log: pino({ level: 'silent' }),
    batchSize: 20,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    probeIntervalMs: 50,
  }).start();
}

const insert = db.prepare('INSERT INTO t_submission (n, outbox_key, citizen) VALUES (?, ?, ?)');
const submit = db.transaction((n: number) => {
  const { key } = enqueue(db, 'probe.submission', { n });
  insert.run(n, key, 'Lê Văn C');
  return key;
});

let n = Number(startArg);
process.stdout.write('ready\n');
// Yield between submissions so the engine's network I/O interleaves with commits.
const loop = () => {
  for (let i = 0; i < 5; i++) {
    const key = submit(n);
    process.stdout.write(`ack ${n} ${key}\n`);
    n++;
  }
  setImmediate(loop);
};
loop();
