/**
 * Test harness: the shell's own pieces without the Electron binary, for a Chromium end-to-end
 * test. It builds the real kiosk core, serves renderer/dist through the real app:// handler
 * (same headers, same CSP) on loopback HTTP, and answers `kiosk:call` through the real IPC
 * handler with a fake sender that stands for the kiosk window's main frame. The test loads the
 * real preload bundle into the page with an `electron` shim whose ipcRenderer reaches here.
 * Prints `SHELL EMULATOR READY <url>`.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/config.node.ts';
import { createAppliance } from '../../appliance/appliance.node.ts';
import { CALL_CHANNEL } from '../../../contract/bridge.ts';
import { registerKioskIpc } from '../ipc.main.ts';
import { rendererProtocolHandler } from '../serve-renderer.node.ts';
import { FakeIpcMain, FakeWebContents } from './fake-electron.node.ts';
import type { IpcMain, WebContents } from 'electron';

const rendererDir = fileURLToPath(new URL('../../../renderer/dist', import.meta.url));
const config = loadConfig(process.env);
const appliance = await createAppliance(config);
const serve = rendererProtocolHandler(rendererDir);
const ipcMain = new FakeIpcMain();
const window = new FakeWebContents();
registerKioskIpc({
  ipcMain: ipcMain as unknown as IpcMain,
  contents: () => window as unknown as WebContents,
  core: () => appliance,
  record: (i) => process.stdout.write(`shell incident: ${JSON.stringify(i)}\n`),
});

const server = createServer((req, res) => {
  void (async () => {
    if (req.method === 'POST' && req.url === '/__ipc') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { channel, args } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        channel: string;
        args: unknown[];
      };
      const handler = ipcMain.handlers.get(channel);
      if (channel !== CALL_CHANNEL || !handler) {
        res.writeHead(404).end();
        return;
      }
      const answer = await handler({ sender: window, senderFrame: window.mainFrame }, ...args);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    const answer = await serve(new Request(`app://kiosk${req.url ?? '/'}`, { method: req.method }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  })().catch((err: unknown) => {
    res.writeHead(500).end(String(err));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`SHELL EMULATOR READY http://127.0.0.1:${port}/\n`);
});
const stop = () => {
  server.close();
  void appliance.close();
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
