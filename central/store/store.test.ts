import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { nextCounter, openCentralStore, type CentralStore } from './store.node.ts';
import { toPgPlaceholders } from './postgres.node.ts';

describe.each(testDialects())('central store on %s', (dialect) => {
  let db: TestDb;
  let store: CentralStore;
  beforeEach(async () => {
    db = await makeTestDb(dialect);
    store = await openCentralStore(db.url);
    await store.run('CREATE TABLE t_items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  });
  afterEach(async () => {
    await store.close();
    await db.dispose();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await store.tx(async (q) => void (await q.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['a', 1])));
    await expect(
      store.tx(async (q) => {
        await q.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['b', 2]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.all('SELECT id FROM t_items ORDER BY id')).toEqual([{ id: 'a' }]);
  });

  it('undoes only the failing savepoint inside a transaction', async () => {
    await store.tx(async (q) => {
      await q.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['a', 1]);
      await q
        .savepoint(async (sq) => void (await sq.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['b', 2])))
        .catch(() => undefined);
      await q
        .savepoint(async (sq) => {
          await sq.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['c', 3]);
          throw new Error('refused');
        })
        .catch(() => undefined);
    });
    expect((await store.all<{ id: string }>('SELECT id FROM t_items ORDER BY id')).map((r) => r.id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('counts with nextCounter without gaps or repeats under concurrency', async () => {
    const got = await Promise.all(
      Array.from({ length: 20 }, () => store.tx((q) => nextCounter(q, 'dossier:000.31.12.H12:261128'))),
    );
    expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(
      await store.get<{ value: number }>('SELECT value FROM counters WHERE name = ?', ['dossier:000.31.12.H12:261128']),
    ).toEqual({ value: 20 });
  });
});

describe('central store on SQLite (one connection)', () => {
  it('lets code inside a transaction use the store without waiting for itself', async () => {
    const db = await makeTestDb('sqlite');
    const store = await openCentralStore(db.url);
    try {
      await store.run('CREATE TABLE t_items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
      const n = await store.tx(async (q) => {
        await q.run('INSERT INTO t_items (id, n) VALUES (?, ?)', ['a', 1]);
        const inner = await store.tx(
          async (q2) => (await q2.get<{ c: number }>('SELECT COUNT(*) AS c FROM t_items'))!.c,
        );
        return inner + (await store.get<{ c: number }>('SELECT COUNT(*) AS c FROM t_items'))!.c;
      });
      expect(n).toBe(2);
    } finally {
      await store.close();
      await db.dispose();
    }
  });
});

describe('PostgreSQL placeholders', () => {
  it('numbers ? outside quotes only', () => {
    expect(toPgPlaceholders('SELECT * FROM t WHERE a = ? AND b = \'?\' AND "c?" = ? OR d IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = \'?\' AND "c?" = $2 OR d IN ($3, $4)',
    );
  });
});
