import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/db.node.ts';
import { enqueue, Outbox } from '../../sync/outbox.node.ts';
import { outboxCommand } from './outbox.node.ts';

describe('kioskctl outbox', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const run = (...args: string[]) =>
    outboxCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { KIOSK_DATA_DIR: dir } });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kioskctl-outbox-'));
    out = [];
    err = [];
    const db = openDatabase(join(dir, 'kiosk.db'));
    const outbox = new Outbox(db);
    enqueue(db, 'rating.submitted', { overall: 'hai-long' });
    const { id } = enqueue(db, 'dossier.submitted', { name: 'Phạm Thị D' });
    enqueue(db, 'ticket.issued', { number: 'A001' });
    outbox.park(outbox.get(id)!, 'INVALID_PAYLOAD: procedureCode: required', new Date());
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows counts and parked entries with their reasons', async () => {
    expect(await run()).toBe(0);
    expect(out[0]).toContain('pending: 2');
    expect(out[0]).toContain('parked: 1');
    expect(out.join('\n')).toMatch(/#2 {2}dossier\.submitted .* INVALID_PAYLOAD: procedureCode: required/);
    expect(out.join('\n')).not.toContain('Phạm Thị D');
  });

  it('retries one parked entry by id, and refuses ids that are not there', async () => {
    expect(await run('retry', '2')).toBe(0);
    out = [];
    await run('--json');
    expect(JSON.parse(out[0]!).counts).toMatchObject({ pending: 3, parked: 0 });
    expect(await run('retry', '99')).toBe(1);
    expect(await run('retry', 'abc')).toBe(2);
  });

  it('exports parked entries with payloads to a private file', async () => {
    const file = join(dir, 'parked.json');
    expect(await run('export', '--file', file)).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.entries).toHaveLength(1);
    expect(exported.entries[0].payload).toEqual({ name: 'Phạm Thị D' });
  });
});
