import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** One end (give it to the driver under test). */
  a: string;
  /** The other end (the test writes "device" bytes here, or reads what the driver sent). */
  b: string;
  /** Kills socat; both paths disappear, as when a USB serial device is unplugged. */
  close(): Promise<void>;
}

/**
 * A real pseudo-terminal pair made by socat (`apt install socat`), for serial tests without
 * hardware. Pass the same `dir` again after `close()` to "replug": the same two paths come back.
 */
export async function createPtyPair(options: { dir?: string } = {}): Promise<PtyPair> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const deadline = Date.now() + 5_000;
  // socat prints "starting data transfer loop" once both ends exist.
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (child.exitCode !== null) throw new Error(`socat exited: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`socat did not create the pty pair in 5 s: ${stderr}`);
    }
    await Promise.race([new Promise((r) => setTimeout(r, 20)), spawnError]);
  }
  return {
    a,
    b,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
