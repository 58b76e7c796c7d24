// Signing in to a ledger: the loopback redirect server, PKCE and state, the one-sign-in-at-a-time
// lock, and the TokenManager that keeps and renews tokens in the SecretStore. What other folders
// use is exported here (the connectors, the sync engine's reconnect check, the composition root).
export { DEFAULT_REDIRECT_URI, LoopbackError, REDIRECT_URI_SETTING, startLoopback, type LoopbackHandle, type LoopbackOptions } from './loopback';
export { createPkce, createState, type Pkce } from './pkce';
export { SignInLock } from './sign-in';
export { InvalidGrantError, NeedsReconnectError, TokenManager, type TokenProvider, type TokenSet } from './tokens';
