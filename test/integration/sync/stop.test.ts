// sync.stop: the owner stops a long first sync. The run ends after its last committed page as
// 'aborted', nothing half-written, and the next sync continues from there to the same ledger a
// sync left alone would have written.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../src/shared/model';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { coreWorld, ledgerDiff, type CoreWorld } from '../qbo/helpers';

let qbo: QboServer | null = null;
let world: CoreWorld | null = null;
afterEach(async () => {
  await world?.close();
  await qbo?.close();
  world = null;
  qbo = null;
});

describe('sync.stop', () => {
  it('says nothing was running when no sync is', async () => {
    qbo = await startQboServer({ today: '2025-06-15', invoices: 40, rateLimit: false });
    world = await coreWorld(qbo);
    expect(await world.call('sync.stop')).toEqual({ stopped: false });
  });

  it('stops a running sync after a committed page; the next sync finishes the ledger exactly', async () => {
    // Small pages and a slow ledger, so the first sync is still running when the owner stops it.
    qbo = await startQboServer({ today: '2025-06-15', invoices: 1200, rateLimit: false, faults: { latencyMs: 40 } });
    world = await coreWorld(qbo);
    const { core, call, connectionId } = world;
    const written: SyncProgress[] = [];
    let firstPage!: () => void;
    const pageLanded = new Promise<void>((resolve) => (firstPage = resolve));
    core.events.on('sync.progress', (p) => {
      if (p.phase === 'write') {
        written.push(p);
        firstPage();
      }
    });

    const running = call('sync.run', { connectionId });
    await pageLanded;
    expect(await call('sync.stop')).toEqual({ stopped: true });
    const [stopped] = (await running).runs;
    expect(stopped).toMatchObject({ connectionId, status: 'aborted' });
    expect(stopped!.records).toBeGreaterThan(0);
    expect(ledgerDiff(qbo, core.db, connectionId).length).toBeGreaterThan(0); // not everything is in yet
    expect((await call('sync.status')).running).toBe(false);

    qbo.faults.latencyMs = 0;
    const [resumed] = (await call('sync.run', { connectionId })).runs;
    expect(resumed).toMatchObject({ status: 'ok' });
    expect(ledgerDiff(qbo, core.db, connectionId)).toEqual([]);
    expect(written.length).toBeGreaterThan(0);
  });
});
