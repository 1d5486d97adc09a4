import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrolDevice, issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral } from '../../central/server.node.ts';
import { openDatabase } from '../../kiosk/store/db.node.ts';
import { ROOT } from './appliance.ts';
import { startChaosProxy } from './chaos-proxy.ts';
import { seededRandom } from './rng.ts';

export interface CaptureChaosResult {
  submissions: number;
  kills: number;
  acknowledged: string[];
  /** Provisional numbers of the kiosk's dossiers at central, each once. */
  centralDossiers: string[];
  /** Attachment rows at central (dossier, sha) and whether each stored file hashes to its name. */
  centralAttachments: Array<{ provisionalNo: string; sha256: string; intact: boolean }>;
  /** Files in central's content-addressed store. */
  storedFiles: number;
  kioskRows: Array<{ status: string }>;
  kioskOutgoing: string[];
  kioskPages: string[];
  faults: Record<string, number>;
  ms: number;
  bytesUploaded: number;
}

/**
 * N submissions, each with a two-page paper, from a kiosk core in a child process killed with
 * SIGKILL `kills` times at random moments, through a proxy that drops, delays, answers 500/503
 * and cuts connections after central committed. Then the kiosk runs undisturbed until idle.
 */
export async function runCaptureChaos(opts: {
  submissions: number;
  kills: number;
  seed: number;
}): Promise<CaptureChaosResult> {
  const started = performance.now();
  const rng = seededRandom(opts.seed);
  const dir = mkdtempSync(join(tmpdir(), 'capture-chaos-'));
  const central = await startCentral({ db: join(dir, 'central.sqlite'), port: 0 });
  const proxy = await startChaosProxy({
    upstreamPort: central.port,
    faults: { drop: 0.05, delay: 0.06, status503: 0.04, status500: 0.04, cutAfterCommit: 0.08 },
    delayMs: [20, 1_400],
    retryAfterSeconds: 1,
    seed: opts.seed,
  });
  const dataDir = join(dir, 'kiosk');
  let child: ChildProcess | undefined;
  try {
    await seedDemo(central.store);
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const e = await central.store.tx((q) => enrolDevice(q, { code, kioskName: 'Kiosk chaos' }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(dataDir, 'credentials.json'),
      JSON.stringify({ ...e, centralUrl: proxy.url, enrolledAt: new Date().toISOString() }),
      { mode: 0o600 },
    );
    const config = JSON.stringify({
      dataDir,
      kioskId: 'KIOSK-CHAOS',
      officeId: DEMO_OFFICE_ID,
      centralUrl: proxy.url,
      printer: 'sim',
      docScanner: 'none',
      hostPort: 0,
    });
    const acknowledged: string[] = [];
    let next = 0;
    const spawnChild = (last: number) => {
      const c = spawn(
        process.execPath,
        ['--import', 'tsx', 'kiosk/sync/attachments-chaos.child.node.ts', config, String(next), String(last)],
        {
          cwd: ROOT,
          env: { ...process.env, KIOSK_ACK_WAIT_MS: '0', KIOSK_HEARTBEAT_MS: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
      let buf = '';
      let idle: () => void = () => undefined;
      const idleP = new Promise<void>((r) => (idle = r));
      c.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          const m = /^saved (\d+) (\S+)$/.exec(line);
          if (m) {
            acknowledged.push(m[2]!);
            next = Number(m[1]) + 1;
          }
          if (line === 'idle') idle();
        }
      });
      return { c, exited, idleP, err: () => err };
    };
    let kills = 0;
    while (kills < opts.kills && next < opts.submissions) {
      const run = spawnChild(opts.submissions);
      child = run.c;
      // Killed at a random moment: while submitting, sealing, uploading or answering.
      await Promise.race([new Promise((r) => setTimeout(r, 1_500 + rng() * 3_000)), run.exited]);
      if (child.exitCode !== null && child.exitCode !== 0) throw new Error(`kiosk child failed: ${run.err()}`);
      child.kill('SIGKILL');
      await run.exited;
      kills++;
    }
    const last = spawnChild(opts.submissions);
    child = last.c;
    await Promise.race([
      last.idleP.then(async () => {
        // Idle also before all were submitted: wait for the last "saved" first.
        while (next < opts.submissions) await new Promise((r) => setTimeout(r, 200));
      }),
      last.exited.then((code) => {
        throw new Error(`kiosk child exited ${code}: ${last.err()}`);
      }),
    ]);
    // Idle once more after the last submission (its paper sent too).
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        const db = openDatabase(join(dataDir, 'kiosk.db'));
        const pending = db.prepare("SELECT COUNT(*) FROM attachments WHERE status = 'pending'").pluck().get() as number;
        const outbox = db
          .prepare("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'inflight')")
          .pluck()
          .get() as number;
        db.close();
        if (pending + outbox === 0) {
          clearInterval(t);
          resolve();
        }
      }, 300);
    });
    child.kill('SIGTERM');
    await last.exited;
    child = undefined;

    const store = central.ctx.attachments as unknown as { dir: string };
    const centralDossiers = (
      await central.store.all<{ provisional_no: string }>(
        "SELECT provisional_no FROM dossiers WHERE kiosk_id = 'KIOSK-CHAOS'",
      )
    ).map((r) => r.provisional_no);
    const rows = await central.store.all<{ provisional_no: string; sha256: string }>(
      `SELECT d.provisional_no, a.sha256 FROM dossier_attachments a JOIN dossiers d ON d.code = a.dossier_code WHERE d.kiosk_id = 'KIOSK-CHAOS'`,
    );
    const centralAttachments = rows.map((r) => {
      let intact = false;
      try {
        intact =
          createHash('sha256')
            .update(readFileSync(join(store.dir, r.sha256.slice(0, 2), r.sha256)))
            .digest('hex') === r.sha256;
      } catch {
        intact = false;
      }
      return { provisionalNo: r.provisional_no, sha256: r.sha256, intact };
    });
    const storedFiles = readdirSync(store.dir)
      .filter((d) => /^[0-9a-f]{2}$/.test(d))
      .reduce((n, d) => n + readdirSync(join(store.dir, d)).length, 0);
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    const kioskRows = db.prepare('SELECT status FROM attachments').all() as Array<{ status: string }>;
    const bytesUploaded = db.prepare('SELECT COALESCE(SUM(bytes), 0) FROM attachments').pluck().get() as number;
    db.close();
    return {
      submissions: opts.submissions,
      kills,
      acknowledged,
      centralDossiers,
      centralAttachments,
      storedFiles,
      kioskRows,
      kioskOutgoing: readdirSync(join(dataDir, 'capture', 'outgoing')),
      kioskPages: readdirSync(join(dataDir, 'capture', 'pages')),
      faults: { ...proxy.counts },
      ms: performance.now() - started,
      bytesUploaded,
    };
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await proxy.close();
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
