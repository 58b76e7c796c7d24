// The migration list is the schema's history: versions run 1, 2, 3… with no gap or repeat, each
// file is named after its version, and names are unique. A gap would make a fresh file skip
// nothing but a restored backup refuse to open; a repeat would never run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../src/main/core/db/migrations';

describe('db/migrations', () => {
  it('numbers the migrations 1..n in order, one file per version', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
    const files = readdirSync(join(__dirname, '../../../src/main/core/db/migrations'))
      .filter((f) => /^\d{4}-/.test(f))
      .sort();
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(migrations.map((m) => m.version));
    expect(files.map((f) => f.replace(/^\d{4}-|\.ts$/g, ''))).toEqual(migrations.map((m) => m.name));
  });
});
