import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATED_ATR, type EmulatedCard } from './emulator.node.ts';

/**
 * An emulated card on vsmartcard's virtual reader (vpcd), through a private pcscd. vpcd's
 * protocol: each message is a 2-byte big-endian length and a payload; a 1-byte payload is a
 * control (0 power off, 1 power on, 2 reset, 4 get ATR), anything longer an APDU whose answer
 * goes back the same way. vpcd listens (on a port picked free here); the card connects to it on
 * 127.0.0.1 when placed and closes the connection when lifted. (vpcd's reversed mode, where it
 * connects to the card, loops on reconnects when no card is there: not used.)
 */
export class VirtualCardSlot {
  #socket: Socket | null = null;
  #card: EmulatedCard | null = null;
  /** vpcd's first reader listens on `port`, its second on `port + 1` (that one stays empty). */
  port = 0;
  /** Pulls the card after this many READ BINARY commands (a card lifted mid-read). */
  pullAfterReads: number | null = null;

  /** Picks a pair of free loopback ports for vpcd's two readers. */
  async choosePort(): Promise<number> {
    const free = (port: number) =>
      new Promise<number | null>((resolve) => {
        const srv = createServer();
        srv.once('error', () => resolve(null));
        srv.listen(port, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await free(0);
      if (port !== null && port < 65535 && (await free(port + 1)) !== null) {
        this.port = port;
        return port;
      }
    }
    throw new Error('no pair of free loopback ports for the virtual reader');
  }

  /** Places the card: it connects to vpcd on 127.0.0.1 (retried while pcscd is still starting). */
  async insert(card: EmulatedCard): Promise<void> {
    this.remove();
    card.reset();
    card.reads = 0;
    this.#card = card;
    for (let attempt = 0; ; attempt++) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection({ host: '127.0.0.1', port: this.port }, () => resolve(s));
          s.once('error', reject);
        });
        this.#serve(socket, card);
        return;
      } catch (err) {
        if (attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Lifts the card: the connection drops, vpcd sees no card. */
  remove(): void {
    this.#card = null;
    this.#socket?.destroy();
    this.#socket = null;
  }

  #serve(socket: Socket, card: EmulatedCard): void {
    this.#socket = socket;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const len = buffered.readUInt16BE(0);
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        this.#message(socket, msg, card);
      }
    });
    const gone = () => {
      if (this.#socket === socket) this.remove();
    };
    socket.on('close', gone);
    socket.on('error', gone);
  }

  #message(socket: Socket, msg: Buffer, card: EmulatedCard): void {
    const reply = (payload: Buffer) => {
      const head = Buffer.alloc(2);
      head.writeUInt16BE(payload.length);
      socket.write(Buffer.concat([head, payload]));
    };
    if (msg.length === 1) {
      if (msg[0] === 4) reply(EMULATED_ATR);
      else if (msg[0] === 0 || msg[0] === 2) card.reset();
      return;
    }
    if (this.pullAfterReads !== null && card.reads >= this.pullAfterReads && msg[1] === 0xb0) {
      this.pullAfterReads = null;
      this.remove();
      return;
    }
    reply(card.process(msg));
  }

  async close(): Promise<void> {
    this.remove();
  }
}

/** The Debian programs the PC/SC tests need; a missing one is an error, never a skip. */
export function requirePcscStack(): void {
  const missing = [
    ['pcscd', spawnSync('sh', ['-c', 'command -v pcscd']).status === 0],
    ['vsmartcard-vpcd (libifdvpcd.so)', existsSync(VPCD_DRIVER)],
  ].filter(([, ok]) => !ok);
  if (missing.length)
    throw new Error(
      `PC/SC test stack missing: ${missing.map(([n]) => n).join(', ')} — apt-get install -y pcscd vsmartcard-vpcd (as .ci/run does)`,
    );
}

export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

/** Where pcscd listens. Debian's pcscd has this path built in (its clients honour PCSCLITE_CSOCK_NAME, it does not). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

/** True when something answers on the pcscd socket. */
// pcsclite's own variable (its client library reads it), not the kiosk's configuration.
// eslint-disable-next-line no-restricted-properties
export function pcscdAnswers(path = process.env.PCSCLITE_CSOCK_NAME || PCSCD_SOCKET): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ path }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A pcscd started by a test (foreground, its own reader list) with vpcd, whose reader listens
 * on `cardPort` for the emulated card. It uses pcscd's one socket, so it refuses to start when
 * another pcscd already answers there (a test must not borrow the machine's reader).
 */
export class PrivatePcscd {
  readonly dir = mkdtempSync(join(tmpdir(), 'kiosk-pcscd-'));
  readonly socketPath = PCSCD_SOCKET;
  #child: ChildProcess | null = null;
  log = '';

  async start(cardPort: number): Promise<void> {
    requirePcscStack();
    if (await pcscdAnswers(this.socketPath))
      throw new Error(`another pcscd already answers on ${this.socketPath}; stop it to run the PC/SC tests`);
    const conf = join(this.dir, 'reader.conf.d');
    mkdirSync(conf);
    writeFileSync(
      join(conf, 'vpcd'),
      `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${cardPort}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    ${cardPort}\n`,
    );
    // A debugging switch of the test emulator, not the kiosk's configuration.
    // eslint-disable-next-line no-restricted-properties
    this.#child = spawn('pcscd', ['-f', process.env.PCSCD_DEBUG ? '-d' : '-i', '-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000)));
    this.#child.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000)));
    const started = Date.now();
    while (!this.log.includes('daemon ready')) {
      if (this.#child.exitCode !== null)
        throw new Error(`pcscd exited (${this.#child.exitCode}): ${this.log.slice(-2000)}`);
      if (Date.now() - started > 10_000) throw new Error(`pcscd did not start: ${this.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
