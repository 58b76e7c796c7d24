// One browser sign-in at a time: QuickBooks and Xero redirect to the same loopback address, so
// while one sign-in waits in the browser the core refuses a second one (either provider) with a
// clear error, and accepts it again once the first has finished.
import { afterEach, describe, expect, it } from 'vitest';
import { startQboServer } from '../../fakes/qbo-server';
import { startXeroServer } from '../../fakes/xero-server';
import { connectWorld, type Cleanups } from './connect-world';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('timed out waiting');
}

describe('sign-ins', () => {
  it('refuses a second sign-in while one waits in the browser, for either provider, and allows it afterwards', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 40, rateLimit: false });
    const xero = await startXeroServer({ today: '2025-06-15', invoices: 40, rateLimit: false });
    cleanups.push(() => qbo.close(), () => xero.close());
    const w = await connectWorld(cleanups, { clock: { now: () => qbo.now(), timeZone: () => 'UTC' }, qbo, xero });
    let finish = (): void => undefined;
    w.browser.hold = new Promise<void>((r) => (finish = r));

    const first = w.call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret });
    await until(() => w.browser.visits.length === 1);
    await expect(w.call('connections.connectXero', { clientId: xero.clientId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/QuickBooks sign-in is already waiting.*same sign-in address/) as unknown,
    });
    await expect(w.call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/QuickBooks sign-in is already waiting/) as unknown,
    });
    expect(w.browser.visits).toHaveLength(1); // neither refused one opened a browser

    w.browser.hold = null;
    finish();
    expect(await first).toMatchObject({ provider: 'qbo', status: 'active' });

    // Free again: Xero signs in, and while its picker is open QuickBooks may sign in (the loopback is closed).
    const pending = await w.call('connections.connectXero', { clientId: xero.clientId });
    expect(pending.tenants).toHaveLength(1);
    expect(w.browser.visits).toHaveLength(2);
    await w.call('connections.cancelXero', { pendingId: pending.pendingId });
  });

  it('releases the sign-in when it fails', async () => {
    const qbo = await startQboServer({ today: '2025-06-15', invoices: 40, rateLimit: false, faults: { denyConsent: true } });
    const xero = await startXeroServer({ today: '2025-06-15', invoices: 40, rateLimit: false });
    cleanups.push(() => qbo.close(), () => xero.close());
    const w = await connectWorld(cleanups, { clock: { now: () => qbo.now(), timeZone: () => 'UTC' }, qbo, xero });
    await expect(w.call('connections.connectQbo', { clientId: qbo.clientId, clientSecret: qbo.clientSecret })).rejects.toBeTruthy();
    const pending = await w.call('connections.connectXero', { clientId: xero.clientId });
    expect(pending.tenants).toHaveLength(1);
    await w.call('connections.cancelXero', { pendingId: pending.pendingId });
  });
});
