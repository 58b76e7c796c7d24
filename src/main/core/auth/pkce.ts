// PKCE (RFC 7636, S256 only) and the OAuth `state` value for the loopback sign-in. Xero's
// desktop flow has no client secret, so the verifier is what proves the code came back to us.
import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

function base64url(buf: Buffer): string {
  return buf.toString('base64url');
}

/** A verifier from `bytes` random bytes (32 → 43 characters, the RFC's recommendation). */
export function createVerifier(bytes = 32): string {
  // 32..96 bytes is exactly the 43..128 characters base64url allows.
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96) {
    throw new RangeError('A PKCE verifier needs 32 to 96 random bytes (43 to 128 characters)');
  }
  return base64url(randomBytes(bytes));
}

export function isVerifier(value: string): boolean {
  return VERIFIER.test(value);
}

/** BASE64URL(SHA256(ASCII(verifier))), no padding (RFC 7636 §4.2). */
export function challengeS256(verifier: string): string {
  if (!isVerifier(verifier)) {
    throw new RangeError('A PKCE verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
  }
  return base64url(createHash('sha256').update(verifier, 'ascii').digest());
}

export function createPkce(): Pkce {
  const verifier = createVerifier();
  return { verifier, challenge: challengeS256(verifier), method: 'S256' };
}

/** An unguessable `state` (128 bits, URL-safe) binding the callback to the flow we started. */
export function createState(): string {
  return base64url(randomBytes(16));
}
