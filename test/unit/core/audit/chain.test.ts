// The hash chain as pure functions: no database, rows built by hand.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredAuditRow } from '../../../../src/main/core/audit/audit.repo';
import { checkChain, entryHash, GENESIS_HASH } from '../../../../src/main/core/audit/chain';

function chain(actions: string[]): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prev = GENESIS_HASH;
  actions.forEach((action, i) => {
    const at = `2025-06-15T12:00:0${i}.000Z`;
    const hash = entryHash(prev, at, 'owner', action, null, null, '{}');
    rows.push({ id: i + 1, at, actor: 'owner', action, entity: null, entityId: null, detailJson: '{}', prevHash: prev, hash });
    prev = hash;
  });
  return rows;
}

describe('audit hash chain', () => {
  it('hashes the previous hash, a newline and the canonical content', () => {
    const content = '{"action":"a","actor":"owner","at":"t","detail":{"x":1},"entity":null,"entityId":null}';
    expect(entryHash(GENESIS_HASH, 't', 'owner', 'a', null, null, '{ "x": 1 }')).toBe(
      createHash('sha256').update(`${GENESIS_HASH}\n${content}`).digest('hex'),
    );
  });

  it('accepts an empty log and an intact chain', () => {
    expect(checkChain([], 0)).toEqual({ ok: true, rows: 0 });
    expect(checkChain(chain(['a', 'b', 'c']), 3)).toEqual({ ok: true, rows: 3 });
  });

  it('names the first row whose content, link or detail is wrong', () => {
    const edited = chain(['a', 'b', 'c']);
    edited[1] = { ...edited[1]!, action: 'forged' };
    expect(checkChain(edited, 3)).toMatchObject({ ok: false, brokenAtId: 2, problem: 'content' });

    const gap = chain(['a', 'b', 'c']);
    gap.splice(1, 1);
    expect(checkChain(gap, 2)).toMatchObject({ ok: false, brokenAtId: 3, problem: 'link', rows: 2 });

    const unreadable = chain(['a', 'b']);
    unreadable[0] = { ...unreadable[0]!, detailJson: '{' };
    expect(checkChain(unreadable, 2)).toMatchObject({ ok: false, brokenAtId: 1, problem: 'unreadable' });
  });
});
