// The data folder Settle creates is 0700 and settle.db, its WAL and its backups 0600 (POSIX), so
// another user of the machine cannot read the ledger (issue 11 §5).
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/core/db/open';
import { tempDir } from '../../support/tmp';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes of the data folder', () => {
  it('creates the folder 0700 and the database and its WAL 0600', () => {
    const dir = tempDir();
    try {
      const folder = join(dir.path, 'Settle');
      const path = join(folder, 'settle.db');
      const db = openDatabase(path);
      db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('probe', '1', '2026-01-01T00:00:00Z')").run();
      expect(mode(folder)).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(mode(`${path}-wal`)).toBe(0o600);
      db.close();
    } finally {
      dir.cleanup();
    }
  });
});
