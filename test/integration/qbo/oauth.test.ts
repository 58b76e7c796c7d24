// The QBO authorization-code flow through intuit-oauth, pointed at the emulator's OAuth base.
import { freeRedirectUri } from '../../support/ports';
import { afterEach, describe, expect, it } from 'vitest';
import { isInvalidGrant } from '../../../src/main/core/auth/tokens';
import { QboClient } from '../../../src/main/core/connectors/qbo/client';
import { QboInvalidGrantError, QboOAuth, endpointsUnder } from '../../../src/main/core/connectors/qbo/oauth';
import { startQboServer, type QboServer } from '../../fakes/qbo-server';
import { emulatorClock } from './helpers';

const REDIRECT = await freeRedirectUri();
let qbo: QboServer;
afterEach(async () => {
  await qbo?.close();
});

async function setup(): Promise<QboOAuth> {
  qbo = await startQboServer({ today: '2025-06-15', invoices: 30, redirectUris: [REDIRECT], rateLimit: false });
  return new QboOAuth({
    clientId: qbo.clientId,
    clientSecret: qbo.clientSecret,
    redirectUri: REDIRECT,
    environment: 'sandbox',
    oauthBase: qbo.oauthBase,
    apiBase: qbo.apiBase,
    clock: emulatorClock(qbo),
  });
}

/** Plays the browser: follows the authorize URL to the emulator's auto-consent redirect. */
async function consent(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('QBO OAuth (intuit-oauth against the emulator)', () => {
  it('builds the authorize URL beneath the configured base', async () => {
    const oauth = await setup();
    const url = new URL(oauth.authorizeUrl('st4te'));
    expect(`${url.origin}${url.pathname}`).toBe(qbo.endpoints.authorize);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: qbo.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'com.intuit.quickbooks.accounting',
      state: 'st4te',
    });
    expect(endpointsUnder(qbo.oauthBase)).toEqual({
      authorizeEndpoint: qbo.endpoints.authorize,
      tokenEndpoint: qbo.endpoints.token,
      revokeEndpoint: qbo.endpoints.revoke,
      userInfoEndpoint: qbo.endpoints.userinfo,
    });
    expect(oauth.apiBase).toBe(`${qbo.apiBase}/`);
  });

  it('exchanges the code, calls the API, rotates on refresh and types invalid_grant', async () => {
    const oauth = await setup();
    const back = await consent(oauth.authorizeUrl('abc'));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('abc');
    const code = back.searchParams.get('code') ?? '';
    const realmId = back.searchParams.get('realmId') ?? '';
    expect(realmId).toBe(qbo.realmId);

    const first = await oauth.exchange(code, realmId);
    expect(first.realmId).toBe(qbo.realmId);
    expect(Date.parse(first.expiresAt) - qbo.now().getTime()).toBe(3600_000);
    expect(first.refreshExpiresAt).not.toBeNull();

    // The token works on the API.
    const client = new QboClient({ apiBase: oauth.apiBase, realmId, getAccessToken: async () => first.accessToken, forceRefresh: async () => undefined });
    const info = await client.companyInfo();
    expect(info.companyName.length).toBeGreaterThan(0);
    expect(info.homeCurrencyGuess).toBe('USD');

    // A code is single use.
    await expect(oauth.exchange(code, realmId)).rejects.toBeInstanceOf(QboInvalidGrantError);

    // Refresh rotates the refresh token; the old one keeps working for its 24 h overlap.
    const second = await oauth.refresh(first.refreshToken, realmId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const again = await oauth.refresh(first.refreshToken, realmId);
    expect(again.accessToken.length).toBeGreaterThan(0);
    qbo.advanceClock(25 * 3_600_000);
    const stale = await oauth.refresh(first.refreshToken, realmId).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(QboInvalidGrantError);
    expect(isInvalidGrant(stale)).toBe(true);

    // Garbage is invalid_grant too, typed.
    const bogus = await oauth.refresh('RT1-nope', realmId).catch((e: unknown) => e);
    expect(bogus).toBeInstanceOf(QboInvalidGrantError);

    // Revoking disconnects: the grant's refresh tokens stop working.
    const latest = await oauth.refresh(again.refreshToken, realmId);
    await oauth.revoke(latest.refreshToken);
    await expect(oauth.refresh(latest.refreshToken, realmId)).rejects.toBeInstanceOf(QboInvalidGrantError);
  });
});
