import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDocument, getOfficeConfig, officeCatalogName } from './admin.node.ts';
import { catalogToRows, rowsToXlsx } from './catalog-import.node.ts';
import { centralCli } from './cli.node.ts';
import { demoCatalog } from './demo/catalog-generate.ts';
import { DEMO_OFFICES, seedDemo } from './demo/seed.node.ts';
import { openCentralStore } from './store/store.node.ts';

/** `central office import` and `central catalog import`: scripted roll-outs from files (issue 14). */
describe('provisioning offices and catalogs from files with the central command line', () => {
  let dir: string;
  let db: string;
  let out: string[];
  let err: string[];
  const run = (...args: string[]) => centralCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'central-import-'));
    db = join(dir, 'central.sqlite');
    out = [];
    err = [];
    const store = await openCentralStore(db);
    await seedDemo(store);
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports office configurations (one or many), all or nothing, and audits them', async () => {
    const [a, b] = DEMO_OFFICES;
    const newOffice = { ...b!, officeId: 'ca-mau-tan-thanh', name: 'UBND phường Tân Thành — Bộ phận Một cửa' };
    const changed = { ...a!, closedDays: [{ date: '2027-02-16', name: 'Tết Nguyên đán' }] };
    const file = join(dir, 'offices.json');
    writeFileSync(file, JSON.stringify([changed, { ...newOffice, agencyCode: 'sai-ma' }]));
    expect(await run('office', 'import', file, '--db', db)).toBe(1);
    expect(err.join('\n')).toContain('office #2 (ca-mau-tan-thanh): agencyCode');
    writeFileSync(file, JSON.stringify([changed, newOffice]));
    expect(await run('office', 'import', file, '--db', db)).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^office ca-mau-an-xuyen: saved/),
      expect.stringMatching(/^office ca-mau-tan-thanh: saved/),
    ]);
    const store = await openCentralStore(db);
    try {
      expect((await getOfficeConfig(store, 'ca-mau-an-xuyen'))!.config.closedDays).toEqual(changed.closedDays);
      expect((await getOfficeConfig(store, 'ca-mau-tan-thanh'))!.config.name).toBe(newOffice.name);
      const audits = await store.all<{ username: string }>(
        "SELECT username FROM officer_audit WHERE action = 'admin.config.changed'",
      );
      expect(audits).toEqual([{ username: 'cli' }, { username: 'cli' }]);
    } finally {
      await store.close();
    }
  });

  it('imports an XLSX catalog for an office: bad rows named by row, nothing published until fixed', async () => {
    const rows = catalogToRows(demoCatalog(0));
    const bad = rows.map((r) => [...r]);
    bad[2]![0] = 'không-phải-mã';
    const file = join(dir, 'thutuc.xlsx');
    writeFileSync(file, await rowsToXlsx(bad));
    expect(await run('catalog', 'import', file, '--office', 'ca-mau-an-xuyen', '--db', db)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/thutuc\.xlsx:3: Mã thủ tục \(code\): procedure code like 1\.001193/)]);
    writeFileSync(file, await rowsToXlsx(rows));
    expect(await run('catalog', 'import', file, '--office', 'ca-mau-an-xuyen', '--db', db)).toBe(0);
    expect(out.at(-1)).toBe('published catalog version 1 for ca-mau-an-xuyen');
    const store = await openCentralStore(db);
    try {
      const doc = await getDocument(store, officeCatalogName('ca-mau-an-xuyen'));
      expect((JSON.parse(doc!.json) as { procedures: unknown[] }).procedures).toHaveLength(rows.length - 1);
    } finally {
      await store.close();
    }
  });
});
