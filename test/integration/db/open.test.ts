import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaVersion, type Migration } from '../../../src/main/core/db/migrate';
import { initial } from '../../../src/main/core/db/migrations/0001-initial';
import { openDatabase } from '../../../src/main/core/db/open';
import { useTempDb } from './helpers';

const temp = useTempDb();

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const v2: Migration = {
  version: 2,
  name: 'test-add-column',
  up(db) {
    db.exec("ALTER TABLE settings ADD COLUMN origin TEXT NOT NULL DEFAULT 'v2'");
  },
};

function seedV1(path: string): void {
  const db = openDatabase(path, { migrations: [initial] });
  db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', '2025-01-01T00:00:00Z')").run();
  db.prepare("INSERT INTO settings VALUES ('locale', '\"fr-FR\"', '2025-01-01T00:00:00Z')").run();
  db.close();
}

describe('openDatabase', () => {
  it('refuses a file written by a newer Settle and leaves its bytes unchanged', () => {
    const path = join(temp.dir(), 'future.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    raw.pragma('user_version = 99');
    raw.close();
    const before = sha256(path);

    expect(() => openDatabase(path)).toThrow(/newer/);
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses an empty settle.db instead of starting afresh in it', () => {
    const path = join(temp.dir(), 'settle.db');
    writeFileSync(path, '');
    expect(() => openDatabase(path)).toThrow(/is empty/);
    expect(statSync(path).size).toBe(0);
  });

  it('refuses a damaged file and leaves it unchanged', () => {
    const path = join(temp.dir(), 'garbage.db');
    writeFileSync(path, Buffer.from('this is not a database, just some text '.repeat(200)));
    const before = sha256(path);

    expect(() => openDatabase(path)).toThrow(/damaged/);
    expect(sha256(path)).toBe(before);
  });

  it('backs up a v1 file to <path>.v1.bak before migrating to v2, and keeps the rows', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV1(path);
    const backups: string[] = [];

    const db = openDatabase(path, { migrations: [initial, v2], onBackup: (p) => backups.push(p) });
    try {
      expect(schemaVersion(db)).toBe(2);
      expect(db.prepare('SELECT key, value_json, origin FROM settings ORDER BY key').all()).toEqual([
        { key: 'locale', value_json: '"fr-FR"', origin: 'v2' },
        { key: 'theme', value_json: '"dark"', origin: 'v2' },
      ]);
    } finally {
      db.close();
    }

    expect(backups).toEqual([`${path}.v1.bak`]);
    const bak = new Database(`${path}.v1.bak`, { readonly: true });
    try {
      expect(schemaVersion(bak)).toBe(1);
      expect(bak.prepare('SELECT COUNT(*) FROM settings').pluck().get()).toBe(2);
    } finally {
      bak.close();
    }
  });

  it('takes no backup when nothing needs migrating', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV1(path);
    const backups: string[] = [];
    openDatabase(path, { migrations: [initial], onBackup: (p) => backups.push(p) }).close();
    expect(backups).toEqual([]);
    expect(existsSync(`${path}.v1.bak`)).toBe(false);
  });

  it('leaves user_version and data unchanged when a migration throws', () => {
    const path = join(temp.dir(), 'settle.db');
    seedV1(path);
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x)');
        db.exec("UPDATE settings SET value_json = '\"light\"' WHERE key = 'theme'");
        throw new Error('migration exploded');
      },
    };

    expect(() => openDatabase(path, { migrations: [initial, broken] })).toThrow(/migration exploded/);

    const db = openDatabase(path, { migrations: [initial] });
    try {
      expect(schemaVersion(db)).toBe(1);
      expect(db.prepare("SELECT value_json FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
      expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
