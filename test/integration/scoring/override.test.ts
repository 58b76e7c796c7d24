// scores.override: the owner's tier for a customer — audited, on the timeline, persisted with the
// scores, honoured by the board, kept across recomputes and restarts, and cleared cleanly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/main/core/ports';
import { TIERS, type Tier } from '../../../src/shared/model';
import { events } from '../../support/in-process';
import { tempDir } from '../../support/tmp';
import { allRows, count, openCore, type Opened } from '../core/helpers';

const AT = '2026-11-21T15:00:00.000Z';
const REASON = 'Long-standing client, pays after every trade fair';

describe('scores.override', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: Opened[];
  let core: Opened['core'];
  let call: Opened['call'];
  /** An overdue customer, the tier the scores gave them and a different one to set. */
  let customerId: number;
  let computed: Tier;
  let chosen: Tier;
  /** Their stored tiers per invoice before any override. */
  let tiersBefore: Record<number, string>;

  const open = (deps: Parameters<typeof openCore>[1] = {}): Opened => {
    const o = openCore(dir.path, deps);
    opened.push(o);
    ({ core, call } = o);
    return o;
  };
  const storedTiers = (): Record<number, string> =>
    Object.fromEntries(
      core.db
        .prepare('SELECT s.invoice_id, s.tier FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.customer_id = ? ORDER BY 1')
        .raw()
        .all(customerId) as [number, string][],
    );
  const auditRows = (): number => count(core.db, 'SELECT COUNT(*) FROM audit_log');

  beforeEach(async () => {
    dir = tempDir();
    opened = [];
    open();
    const [top] = (await call('board.get', { limit: 1 })).queue.rows;
    customerId = top!.customerId;
    computed = (await call('scores.explain', { customerId })).computedTier;
    chosen = TIERS.find((t) => t !== computed)!;
    tiersBefore = storedTiers();
  });
  afterEach(() => {
    for (const o of opened) o.core.close();
    dir.cleanup();
  });

  it('sets the tier, keeps the computed one beside it, and audits the change', async () => {
    const log = events(core);
    const before = auditRows();
    const view = await call('scores.override', { customerId, tier: chosen, reason: `  ${REASON}  ` });
    expect(view).toMatchObject({ tier: chosen, computedTier: computed, override: { tier: chosen, reason: REASON, at: AT } });

    expect(auditRows()).toBe(before + 1);
    const row = core.db.prepare("SELECT actor, entity, entity_id AS entityId, detail_json AS detail FROM audit_log WHERE action = 'score.override'").get() as {
      actor: string;
      entity: string;
      entityId: string;
      detail: string;
    };
    expect(row).toMatchObject({ actor: 'owner', entity: 'customer', entityId: String(customerId) });
    expect(JSON.parse(row.detail)).toEqual({ tier: chosen, reason: REASON });
    expect(core.db.prepare('SELECT tier, reason FROM overrides WHERE customer_id = ?').get(customerId)).toEqual({ tier: chosen, reason: REASON });
    expect(log.of('ledger.changed')).toEqual([{ connectionId: 'demo', reason: 'override' }]);
  });

  it('puts the override at the top of the customer timeline', async () => {
    await call('scores.override', { customerId, tier: chosen, reason: REASON });
    const { timeline, score } = await call('customers.get', { customerId });
    expect(score).toMatchObject({ tier: chosen, computedTier: computed });
    expect(timeline[0]).toMatchObject({ kind: 'override', at: AT, detail: REASON, title: expect.stringContaining(chosen) as unknown });
    expect(timeline.filter((e) => e.kind === 'override')).toHaveLength(1);
  });

  it('is stored with every score of the customer and survives a recompute', async () => {
    await call('scores.override', { customerId, tier: chosen, reason: REASON });
    const ids = Object.keys(tiersBefore);
    expect(ids.length).toBeGreaterThan(0);
    expect(storedTiers()).toEqual(Object.fromEntries(ids.map((id) => [id, chosen])));

    const { scored } = await call('scores.recompute');
    expect(scored).toBe(count(core.db, 'SELECT COUNT(*) FROM scores'));
    expect(storedTiers()).toEqual(Object.fromEntries(ids.map((id) => [id, chosen])));
    expect((await call('scores.explain', { customerId })).tier).toBe(chosen);
    // Other customers keep their own tiers.
    const others = core.db
      .prepare('SELECT COUNT(*) FROM scores s JOIN invoices i ON i.id = s.invoice_id WHERE i.customer_id <> ? AND s.tier <> ?')
      .pluck()
      .get(customerId, chosen) as number;
    expect(others).toBeGreaterThan(0);
  });

  it('survives closing and reopening, and a rescore on a later day', async () => {
    await call('scores.override', { customerId, tier: chosen, reason: REASON });
    core.close();

    open();
    expect(await call('scores.explain', { customerId })).toMatchObject({ tier: chosen, computedTier: computed, override: { reason: REASON } });
    core.close();

    open({ clock: fixedClock('2026-11-23T08:00:00Z') });
    expect(core.db.prepare('SELECT DISTINCT as_of FROM scores').pluck().all()).toEqual(['2026-11-23']);
    expect(new Set(Object.values(storedTiers()))).toEqual(new Set([chosen]));
    expect((await call('customers.get', { customerId })).score?.tier).toBe(chosen);
  });

  it('drives the board tier filter', async () => {
    const has = async (tier: Tier): Promise<boolean> =>
      (await allRows(call, { tiers: [tier], scope: 'open' })).some((r) => r.customerId === customerId);
    expect(await has(computed)).toBe(true);

    await call('scores.override', { customerId, tier: chosen, reason: REASON });
    expect(await has(chosen)).toBe(true);
    for (const t of TIERS.filter((x) => x !== chosen)) expect(await has(t), t).toBe(false);
    const row = (await allRows(call, { tiers: [chosen], scope: 'open' })).find((r) => r.customerId === customerId)!;
    expect(row.tierOverridden).toBe(true);
    expect(row.invoices.every((i) => i.tier === chosen)).toBe(true);
  });

  it('clears with tier null: computed tiers come back, and the timeline says so', async () => {
    await call('scores.override', { customerId, tier: chosen, reason: REASON });
    const view = await call('scores.override', { customerId, tier: null, reason: '' });
    expect(view).toMatchObject({ tier: computed, computedTier: computed, override: null });
    expect(count(core.db, 'SELECT COUNT(*) FROM overrides')).toBe(0);
    expect(storedTiers()).toEqual(tiersBefore);
    expect((await call('board.get', { limit: 500, scope: 'open' })).queue.rows.find((r) => r.customerId === customerId)?.tierOverridden).toBe(false);

    const overrides = (await call('customers.get', { customerId })).timeline.filter((e) => e.kind === 'override');
    expect(overrides).toHaveLength(2);
    expect(overrides.some((e) => /cleared/.test(e.title))).toBe(true);
    expect(count(core.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'score.override'")).toBe(2);
  });

  it('refuses a reason under 3 characters and writes nothing', async () => {
    const before = auditRows();
    for (const reason of ['', 'ok', '  a  ']) {
      await expect(call('scores.override', { customerId, tier: chosen, reason })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('reason') as unknown,
      });
    }
    expect(auditRows()).toBe(before);
    expect(count(core.db, 'SELECT COUNT(*) FROM overrides')).toBe(0);
    expect(storedTiers()).toEqual(tiersBefore);
  });

  it('refuses an unknown customer, and one with nothing open, writing nothing', async () => {
    const settled = core.db
      .prepare(
        `SELECT id FROM customers WHERE connection_id = 'demo'
           AND id NOT IN (SELECT customer_id FROM invoices WHERE balance_cents > 0 AND status = 'open') ORDER BY id LIMIT 1`,
      )
      .pluck()
      .get() as number;
    const log = events(core);
    const before = auditRows();
    await expect(call('scores.override', { customerId: 987_654, tier: 'high', reason: REASON })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('scores.override', { customerId: settled, tier: 'high', reason: REASON })).rejects.toMatchObject({ code: 'not_found' });
    expect(auditRows()).toBe(before);
    expect(count(core.db, 'SELECT COUNT(*) FROM overrides')).toBe(0);
    expect(log.all).toEqual([]);
    expect((await call('customers.get', { customerId: settled })).timeline.some((e) => e.kind === 'override')).toBe(false);
  });
});
