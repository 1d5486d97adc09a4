import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles } from '../../scripts/check-cycles.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layering messages ESLint reports for `code` placed at `file` (relative to the repo). */
async function layering(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layering/imports').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    // Only the shell imports electron.
    ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['kiosk/appliance/x.node.ts', "import { app } from 'electron';"],
    ['kiosk/host/x.node.ts', "import type { BrowserWindow } from 'electron';"],
    // The browser and pure layers: no Node built-ins, no native or Node-only packages.
    ['renderer/src/x.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/x.tsx', "import { join } from 'path';"],
    ['renderer/src/x.tsx', "import { readFile } from 'fs/promises';"],
    ['renderer/src/x.tsx', "import Database from 'better-sqlite3';"],
    ['renderer/src/x.tsx', "import { SerialPort } from 'serialport';"],
    ['renderer/src/x.tsx', "import { ReadlineParser } from '@serialport/parser-readline';"],
    ['workflows/x.ts', "import { createHash } from 'node:crypto';"],
    ['contract/domains/x.ts', "import { readFileSync } from 'node:fs';"],
    ['contract/forms/x.ts', "import { pino } from 'pino';"],
    ['protocol/x.ts', "import Database from 'better-sqlite3';"],
    ['drivers/id/x.ts', "import { readFileSync } from 'node:fs';"],
    ['kiosk/tickets/x.ts', "import { join } from 'node:path';"],
    // Workflows are pure machines.
    ['workflows/x.ts', "import { useState } from 'react';"],
    ['workflows/x.ts', "import { createRoot } from 'react-dom/client';"],
    ['workflows/x.ts', "import { useMachine } from '@xstate/react';"],
    // Renderer and workflows: only contract/, protocol/ and the browser-safe parsers (drivers/id/).
    ['renderer/src/x.tsx', "import { SyncEngine } from '../../kiosk/sync/engine.node.ts';"],
    ['renderer/src/x.tsx', "import { KioskError } from '../../kiosk/api/dispatch.ts';"],
    ['renderer/src/screens/x/X.tsx', "import { encodeCp1258 } from '../../../../drivers/printer/cp1258.ts';"],
    ['renderer/src/x.tsx', "import { routes } from '../../central/routes/index.node.ts';"],
    ['workflows/x.ts', "import { ticketDoc } from '../kiosk/tickets/ticket-doc.ts';"],
    ['workflows/x.ts', "import { App } from '../renderer/src/App.tsx';"],
    ['workflows/x.ts', "import { encodeCp1258 } from '../drivers/printer/cp1258.ts';"],
    // Central imports only protocol/.
    ['central/x.node.ts', "import { calls } from '../contract/api.ts';"],
    ['central/x.node.ts', "import { loadConfig } from '../kiosk/config/config.node.ts';"],
    ['central/routes/x.node.ts', "import { parseCccd } from '../../drivers/id/cccd.ts';"],
    ['central/x.node.ts', "import { ticketMachine } from '../workflows/ticket.ts';"],
    // Drivers know nothing of ours; protocol and contract stay below everyone.
    ['drivers/printer/x.ts', "import { KioskError } from '../../contract/errors.ts';"],
    ['drivers/printer/x.ts', "import { App } from '../../renderer/src/App.tsx';"],
    ['drivers/printer/x.ts', "import { x } from '../../central/server.node.ts';"],
    ['drivers/scanner/x.node.ts', "import { x } from '../../kiosk/devices/scanner.node.ts';"],
    ['protocol/x.ts', "import { calls } from '../contract/api.ts';"],
    ['contract/x.ts', "import { Db } from '../kiosk/store/db.node.ts';"],
    ['contract/x.ts', "import { ticketMachine } from '../workflows/ticket.ts';"],
    // The kiosk never starts central (only demo/all-in-one.node.ts does).
    ['kiosk/x.node.ts', "import { startCentral } from '../central/server.node.ts';"],
    ['kiosk/shell/x.preload.ts', "import type { App } from '../../renderer/src/App.tsx';"],
    // A plain .ts runs anywhere: never a .node/.main/.dom/.tsx file, even for a type.
    ['kiosk/tickets/x.ts', "import type { Db } from '../store/db.node.ts';"],
    ['renderer/src/x.ts', "import { useNav } from './nav.tsx';"],
    ['renderer/src/x.ts', "import { createKioskApi } from './api/client.dom.ts';"],
    ['kiosk/shell/x.ts', "import { registerKioskIpc } from './ipc.main.ts';"],
    // Node files run no browser code; browser files no Node code.
    ['kiosk/services/x.node.ts', "import { App } from '../../renderer/src/App.tsx';"],
    ['renderer/src/x.dom.ts', "import { x } from './y.node.ts';"],
    ['kiosk/shell/x.preload.ts', "import { openDatabase } from '../store/db.node.ts';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toHaveLength(1);
  });

  it.each([
    ['kiosk/shell/x.main.ts', "import { app } from 'electron';"],
    ['kiosk/shell/x.preload.ts', "import { contextBridge } from 'electron';"],
    ['kiosk/shell/x.main.ts', "import { createAppliance } from '../appliance/appliance.node.ts';"],
    ['kiosk/appliance/x.node.ts', "import { join } from 'node:path';"],
    ['kiosk/services/x.node.ts', "import { calls } from '../../contract/api.ts';"],
    ['kiosk/devices/x.node.ts', "import { createPrinter } from '../../drivers/printer/index.node.ts';"],
    ['renderer/src/x.tsx', "import { calls } from '../../contract/api.ts';"],
    ['renderer/src/x.tsx', "import { useState } from 'react';"],
    ['renderer/src/x.tsx', "import { ticketMachine } from '../../workflows/ticket.ts';"],
    ['renderer/src/x.tsx', "import { classifyScan } from '../../drivers/id/index.ts';"],
    ['renderer/src/x.tsx', "import { OfficeConfig } from '../../protocol/office.ts';"],
    ['renderer/src/x.dom.ts', "import { Screen } from './ui/Screen.tsx';"],
    ['workflows/x.ts', "import { setup } from 'xstate';"],
    ['workflows/x.ts', "import { TicketIssued } from '../contract/domains/tickets.ts';"],
    ['drivers/printer/x.node.ts', "import { SerialPort } from 'serialport';"],
    ['central/x.node.ts', "import { Enrol } from '../protocol/enrol.ts';"],
    ['contract/domains/x.ts', "import { z } from 'zod';"],
    ['contract/domains/x.ts', "import { PrinterStatus } from '../../drivers/printer/status.ts';"],
    ['demo/x.node.ts', "import { startCentral } from '../central/server.node.ts';"],
    ['demo/x.node.ts', "import { runKiosk } from '../kiosk/appliance/run.node.ts';"],
    // Tests run the programs: an integration test may start central beside the kiosk.
    ['kiosk/sync/x.test.ts', "import { startCentral } from '../../central/server.node.ts';"],
    ['test/support/x.ts', "import { openCentralStore } from '../../central/store/store.node.ts';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toEqual([]);
  });
});

describe('the import-cycle check', () => {
  it('finds no import loop in the tree', async () => {
    expect(await findCycles(root)).toEqual([]);
  });

  it('fails on a loop, even one held closed by a type import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { C } from './c.ts';\nexport const b = (c?: C) => c;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a.ts';\nexport type C = ReturnType<typeof a>;\n");
      expect(await findCycles(dir, ['.'])).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
