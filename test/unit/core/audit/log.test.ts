import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, GENESIS_HASH, readAudit, verifyAudit } from '../../../../src/main/core/audit/log';
import { fixedClock } from '../../../../src/main/core/ports';
import { useTempDb } from '../../../integration/db/helpers';

const temp = useTempDb();
const clock = fixedClock('2025-06-15T12:00:00.000Z');

describe('audit log', () => {
  it('chains each row to the previous one with sha256 over canonical JSON', () => {
    const { db } = temp.open();
    const first = appendAudit(db, clock, { actor: 'owner', action: 'score.override', entity: 'customer', entityId: 7, detail: { tier: 'low', reason: 'ok' } });
    const second = appendAudit(db, clock, { actor: 'system', action: 'sync.finished' });

    expect(first.prevHash).toBe(GENESIS_HASH);
    // Independent recomputation: keys sorted, entity id as text, detail with sorted keys.
    const content =
      '{"action":"score.override","actor":"owner","at":"2025-06-15T12:00:00.000Z","detail":{"reason":"ok","tier":"low"},"entity":"customer","entityId":"7"}';
    expect(first.hash).toBe(createHash('sha256').update(`${'0'.repeat(64)}\n${content}`).digest('hex'));
    expect(second.prevHash).toBe(first.hash);
    expect(second).toMatchObject({ entity: null, entityId: null, detail: {} });
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 2 });
    expect(readAudit(db, { entity: 'customer', entityId: 7 }).map((r) => r.id)).toEqual([first.id]);
  });

  it('verifies an empty log', () => {
    const { db } = temp.open();
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 0 });
  });

  it('refuses UPDATE and DELETE through its triggers', () => {
    const { db } = temp.open();
    appendAudit(db, clock, { actor: 'owner', action: 'a' });
    expect(() => db.prepare("UPDATE audit_log SET action = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT action FROM audit_log').pluck().all()).toEqual(['a']);
  });

  it('detects a row edited behind the triggers’ back', () => {
    const { db } = temp.open();
    for (const action of ['a', 'b', 'c']) appendAudit(db, clock, { actor: 'owner', action, detail: { n: action } });
    const ids = db.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all() as number[];
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET detail_json = '{\"n\":\"forged\"}' WHERE id = ?").run(ids[1]);
    expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAtId: ids[1], rows: 3, problem: 'content' });
  });

  it('detects a deleted row: the next row no longer links up', () => {
    const { db } = temp.open();
    for (const action of ['a', 'b', 'c']) appendAudit(db, clock, { actor: 'owner', action });
    const ids = db.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all() as number[];
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = ?').run(ids[1]);
    expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAtId: ids[2], rows: 2, problem: 'link' });
  });

  it('appends inside a caller’s transaction and rolls back with it', () => {
    const { db } = temp.open();
    appendAudit(db, clock, { actor: 'owner', action: 'kept' });
    expect(() =>
      db.transaction(() => {
        appendAudit(db, clock, { actor: 'owner', action: 'rolled-back' });
        throw new Error('caller failed');
      })(),
    ).toThrow(/caller failed/);
    db.transaction(() => appendAudit(db, clock, { actor: 'system', action: 'inside' }))();
    expect(db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all()).toEqual(['kept', 'inside']);
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 2 });
  });

  it('refuses an unknown actor or an empty action', () => {
    const { db } = temp.open();
    expect(() => appendAudit(db, clock, { actor: 'robot' as 'owner', action: 'x' })).toThrow(/actor/);
    expect(() => appendAudit(db, clock, { actor: 'owner', action: ' ' })).toThrow(/action/);
    expect(verifyAudit(db).rows).toBe(0);
  });

  it('canonical JSON sorts keys at every depth and ignores insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: undefined, y: 'é' })).toBe('{"y":"é"}');
  });
});
