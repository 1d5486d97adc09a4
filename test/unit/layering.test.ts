import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layering messages ESLint reports for `code` placed at `file` (relative to the repo). */
async function layering(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/x.tsx', "import { join } from 'path';"],
    ['renderer/src/x.tsx', "import { readFile } from 'fs/promises';"],
    ['renderer/src/x.tsx', "import Database from 'better-sqlite3';"],
    ['renderer/src/x.tsx', "import { SerialPort } from 'serialport';"],
    ['renderer/src/x.tsx', "import { ReadlineParser } from '@serialport/parser-readline';"],
    ['workflows/x.ts', "import { createHash } from 'node:crypto';"],
    ['workflows/x.ts', "import { useState } from 'react';"],
    ['workflows/x.ts', "import { createRoot } from 'react-dom/client';"],
    ['workflows/x.ts', "import { useMachine } from '@xstate/react';"],
    ['kiosk/core/x.node.ts', "import { app } from 'electron';"],
    ['kiosk/host/x.node.ts', "import type { BrowserWindow } from 'electron';"],
    ['drivers/printer/x.ts', "import { KioskError } from '../../kiosk/api/dispatch.ts';"],
    ['drivers/printer/x.ts', "import { App } from '../../renderer/src/App.tsx';"],
    ['drivers/printer/x.ts', "import { x } from '../../central/server.node.ts';"],
    ['central/x.node.ts', "import { calls } from '../kiosk/api/dispatch.ts';"],
    ['contract/domains/x.ts', "import { readFileSync } from 'node:fs';"],
    ['protocol/x.ts', "import Database from 'better-sqlite3';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toHaveLength(1);
  });

  it.each([
    ['kiosk/shell/x.main.ts', "import { app } from 'electron';"],
    ['kiosk/shell/x.preload.ts', "import { contextBridge } from 'electron';"],
    ['kiosk/core/x.node.ts', "import { join } from 'node:path';"],
    ['renderer/src/x.tsx', "import { calls } from '../../contract/api.ts';"],
    ['renderer/src/x.tsx', "import { useState } from 'react';"],
    ['workflows/x.ts', "import { setup } from 'xstate';"],
    ['drivers/printer/x.node.ts', "import { SerialPort } from 'serialport';"],
    ['central/x.node.ts', "import { Enrol } from '../protocol/enrol.ts';"],
    ['contract/domains/x.ts', "import { z } from 'zod';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await layering(file, code)).toEqual([]);
  });
});
