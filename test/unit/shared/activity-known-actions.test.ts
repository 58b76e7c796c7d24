// Every audit action the core writes reads as a sentence on the Activity page and sits in a
// filter family: a new action without a describer fails here instead of showing as "Other".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyOf, KNOWN_ACTIONS } from '../../../src/shared/activity';

const CORE = join(__dirname, '..', '..', '..', 'src', 'main', 'core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `action: 'x.y'` literals, and both sides of `action: cond ? 'a.b' : 'c.d'`. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of files(CORE)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction:\s*([^,\n}]+)/g)) {
      for (const lit of m[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.add(lit[1]!);
    }
  }
  return found;
}

describe('audit actions written by the core', () => {
  const actions = [...writtenActions()].sort();

  it('finds the actions (the scan itself works)', () => {
    expect(actions).toContain('draft.create');
    expect(actions).toContain('outbox.sent');
    expect(actions.length).toBeGreaterThan(30);
  });

  it('each has a sentence of its own and a filter family', () => {
    const missing = actions.filter((a) => !KNOWN_ACTIONS.includes(a));
    const unfiled = actions.filter((a) => familyOf(a) === 'other');
    expect({ missing, unfiled }).toEqual({ missing: [], unfiled: [] });
  });
});
