import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance } from './appliance.node.ts';

describe('createAppliance', () => {
  it('closes promptly right after it started, even when central cannot be reached', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-appliance-'));
    const appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
    );
    const started = Date.now();
    // A stop that arrives while sync waits on the network must not be undone by its answer.
    await Promise.race([
      appliance.close(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('close() hung')), 6_000)),
    ]);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('does not wait out a request central never answers when it closes', async () => {
    // A central that accepts the connection and then says nothing.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-appliance-'));
      const appliance = await createAppliance(
        loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: `http://127.0.0.1:${port}` }),
      );
      // Let the sync engine's first request reach the silent central.
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await appliance.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
