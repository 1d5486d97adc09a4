import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, loadMigrations, openDatabase, type Migration } from './db.node.ts';

const file = () => join(mkdtempSync(join(tmpdir(), 'kiosk-db-')), 'kiosk.db');

describe('openDatabase', () => {
  it('opens a real file in WAL mode with synchronous=FULL and runs every migration', () => {
    const f = file();
    const db = openDatabase(f);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const latest = loadMigrations().at(-1)!.version;
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    db.close();
    // Reopening keeps FULL (a reopened WAL database would otherwise fall back to NORMAL).
    const again = openDatabase(f);
    expect(again.pragma('synchronous', { simple: true })).toBe(2);
    again.close();
  });

  it('runs only the migrations a database has not seen', () => {
    const f = file();
    const m1: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' };
    const m2: Migration = { version: 2, name: 'b', sql: 'CREATE TABLE b (y INTEGER);' };
    openDatabase(f, [m1]).close();
    const db = openDatabase(f, [m1, m2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('a','b')").get()).toEqual({ n: 2 });
    db.close();
  });

  it('rolls back a failing migration and leaves the version where it was', () => {
    const f = file();
    const good: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' };
    const bad: Migration = {
      version: 2,
      name: 'b',
      sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);',
    };
    expect(() => openDatabase(f, [good, bad])).toThrow();
    const raw = new Database(f);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses to open a database written by a newer kiosk', () => {
    const f = file();
    const raw = new Database(f);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(f)).toThrow(DatabaseTooNewError);
  });
});
