import { describe, expect, it } from 'vitest';
import { challengeS256, createPkce, createState, createVerifier, isVerifier } from '../../../../src/main/core/auth/pkce';

describe('auth/pkce (RFC 7636, S256)', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 to 128 unreserved characters', () => {
    const charset = /^[A-Za-z0-9\-._~]+$/;
    expect(createVerifier()).toHaveLength(43);
    expect(createVerifier(96)).toHaveLength(128);
    for (let i = 0; i < 50; i++) {
      const v = createVerifier();
      expect(v).toMatch(charset);
      expect(isVerifier(v)).toBe(true);
    }
    expect(() => createVerifier(31)).toThrow(RangeError);
    expect(() => createVerifier(97)).toThrow(RangeError);
  });

  it('refuses to hash a verifier outside the RFC charset or length', () => {
    expect(() => challengeS256('short')).toThrow(RangeError);
    expect(() => challengeS256(`${'a'.repeat(42)}+`)).toThrow(RangeError);
    expect(() => challengeS256('a'.repeat(129))).toThrow(RangeError);
  });

  it('pairs a fresh verifier with its unpadded base64url challenge', () => {
    const p = createPkce();
    expect(p.method).toBe('S256');
    expect(p.challenge).toBe(challengeS256(p.verifier));
    expect(p.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createPkce().verifier).not.toBe(p.verifier);
  });

  it('makes unguessable URL-safe states', () => {
    const states = new Set(Array.from({ length: 100 }, () => createState()));
    expect(states.size).toBe(100);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
