// The outbox's timer as the app runs it (autoSync): an approval is sent right away while online,
// nothing goes while the network is down, and shutdown stops the loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/app';
import { fixedClock } from '../../../src/main/core/ports';
import { startFakeSmtp, type FakeSmtp } from '../../fakes/smtp-server';
import { inProcess, type InProcess } from '../../support/in-process';
import { tempDir } from '../../support/tmp';

const until = async (check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the outbox loop in the app', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let call: InProcess;
  let smtp: FakeSmtp;
  let online = false;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    dir = tempDir();
    core = createCore({ dataDir: dir.path, clock: fixedClock('2026-11-18T15:00:00Z'), env: {}, autoSync: true, network: { isOnline: () => online } });
    core.start();
    call = inProcess(core);
    await call('email.set', { host: smtp.host, port: smtp.port, tls: 'none', fromAddress: 'owner@juniper.example' });
  });

  afterAll(async () => {
    await core.shutdown();
    await smtp.close();
    dir.cleanup();
  });

  const approveNext = async (skip: number): Promise<number> => {
    const board = await call('board.get', { scope: 'overdue', limit: 100 });
    const row = board.queue.rows.filter((r) => r.email && r.oldestDaysOverdue > 0)[skip]!;
    const d = await call('drafts.create', { customerId: row.customerId, mode: 'template' });
    await call('drafts.submit', { draftId: d.id });
    expect((await call('approvals.approve', { draftIds: [d.id] })).done).toBe(1);
    return (await call('outbox.list')).items.find((i) => i.draftId === d.id)!.id;
  };

  it('holds everything while offline, then sends on the next approval once back online', async () => {
    const first = await approveNext(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await call('outbox.get', { itemId: first })).state).toBe('queued');
    expect(smtp.messages).toHaveLength(0);

    online = true;
    const second = await approveNext(1);
    await until(async () => (await call('outbox.list', { state: 'sent' })).items.length === 2);
    expect(smtp.messages).toHaveLength(2);
    expect((await call('outbox.get', { itemId: second })).state).toBe('sent');
  });

  it('stops on shutdown: nothing is sent afterwards', async () => {
    await core.shutdown();
    expect(core.db.open).toBe(false);
    // Reopen to read what is there; nothing moved while closed.
    core = createCore({ dataDir: dir.path, clock: fixedClock('2026-11-18T15:00:00Z'), env: {}, autoSync: false });
    core.start();
    call = inProcess(core);
    expect((await call('outbox.list')).counts).toMatchObject({ sent: 2, sending: 0, unconfirmed: 0 });
  });
});
