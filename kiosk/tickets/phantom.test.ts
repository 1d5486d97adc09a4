import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { enrolTestDevice, makeTestDb, type TestDb } from '../../central/testing.node.ts';
import { saveCredentials } from '../sync/credentials.node.ts';

const CHILD = fileURLToPath(new URL('./phantom.child.node.ts', import.meta.url));
const START = '2026-11-30T09:00:00+07:00';

/**
 * Loopback proxy in front of central. With `killOnIssue` set, the first answer to
 * `POST /v1/tickets` never reaches the kiosk: the kiosk process is killed with SIGKILL the
 * moment central has numbered the ticket, before a byte of the answer is forwarded.
 */
function startProxy(target: string) {
  const state: { killOnIssue: (() => void) | null } = { killOnIssue: null };
  const server: Server = createServer((req, res) => {
    const upstream = request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
      if (req.method === 'POST' && req.url === '/v1/tickets' && state.killOnIssue) {
        const kill = state.killOnIssue;
        state.killOnIssue = null;
        kill();
        res.destroy();
        answer.resume();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise<{ url: string; state: typeof state; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('phantom tickets: a ticket is callable at central only once the kiosk has it', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let token: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phantom-'));
    cdb = await makeTestDb('sqlite');
    const started = Date.now();
    central = await startCentral({ db: cdb.url, now: () => new Date(Date.parse(START) + Date.now() - started) });
    proxy = await startProxy(central.url);
    const e = await enrolTestDevice(central.store);
    token = e.token;
    saveCredentials(dir, { ...e, centralUrl: proxy.url, enrolledAt: new Date().toISOString() });
    writeFileSync(
      join(dir, 'kiosk.json'),
      JSON.stringify({ centralUrl: proxy.url, officeId: e.officeId, printer: 'sim' }),
    );
  });
  afterEach(async () => {
    await proxy.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the kiosk child; resolves with its output lines and how it ended. */
  const runKiosk = (killOnIssue: boolean) =>
    new Promise<{ lines: string[]; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, START], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (killOnIssue) proxy.state.killOnIssue = () => child.kill('SIGKILL');
      let out = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (_code, signal) => resolve({ lines: out.split('\n').filter(Boolean), signal, stderr }));
    });

  const callNext = async () => {
    const res = await fetch(`${central.url}/v1/tickets/call-next`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ counterId: 'q1', serviceIds: ['ho-tich'] }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { ticket: { number: string } | null }).ticket;
  };

  it('kill -9 between central numbering a ticket and the kiosk storing it leaves no ticket a counter can call', async () => {
    const killed = await runKiosk(true);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.lines).toEqual(['ready']);
    // Central did number it…
    expect(await central.store.all<{ number: string; status: string }>('SELECT number, status FROM tickets')).toEqual([
      { number: 'A001', status: 'held' },
    ]);
    // …but nobody holds it, so no counter calls it and the queue does not list it.
    expect(await callNext()).toBeNull();
    const queue = (await (
      await fetch(`${central.url}/v1/tickets/queue`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { waiting: unknown[] };
    expect(queue.waiting).toEqual([]);

    // The kiosk comes back and a citizen takes a ticket: it is called, the phantom never is.
    const next = await runKiosk(false);
    expect(next.lines, next.stderr).toEqual(['ready', 'issued A002', 'synced']);
    expect(await callNext()).toMatchObject({ number: 'A002' });
    expect(await callNext()).toBeNull();
  }, 60_000);
});
