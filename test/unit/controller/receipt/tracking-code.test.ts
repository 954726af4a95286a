import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CROCKFORD, makeTrackingCode, normaliseTrackingCode, verifyTrackingCode } from '../../../../controller/receipt/tracking-code';

const sample = Array.from({ length: 200 }, () => makeTrackingCode((n) => randomBytes(n)));

describe('tracking code', () => {
  it('looks like K7Q-4MX-92P and uses no I, L, O or U', () => {
    for (const c of sample) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/);
  });
  it('verifies the codes it makes', () => {
    for (const c of sample) expect(verifyTrackingCode(c)).toBe(true);
  });
  it('is deterministic for a given random source', () => {
    const seq = (): ((n: number) => Uint8Array) => {
      let k = 0;
      return (n) => Uint8Array.from({ length: n }, () => (k++ * 37 + 11) & 0xff);
    };
    expect(makeTrackingCode(seq())).toBe(makeTrackingCode(seq()));
  });
  it('gives up instead of hanging when the random source is stuck', () => {
    const stuck = (n: number): Uint8Array => new Uint8Array(n).fill(2); // "22222222" has remainder 32: redrawn forever
    expect(() => makeTrackingCode(stuck)).toThrow(/random source/);
  });
  it('catches every single-character substitution', () => {
    for (const c of sample.slice(0, 50)) {
      const s = c.replace(/-/g, '');
      for (let i = 0; i < s.length; i++) {
        for (const sym of CROCKFORD) {
          if (sym === s[i]) continue;
          const bad = s.slice(0, i) + sym + s.slice(i + 1);
          expect(verifyTrackingCode(bad), `${c} → ${bad}`).toBe(false);
        }
      }
    }
  });
  it('catches every adjacent transposition', () => {
    for (const c of sample) {
      const s = c.replace(/-/g, '');
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === s[i + 1]) continue;
        const bad = s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2);
        expect(verifyTrackingCode(bad), `${c} → ${bad}`).toBe(false);
      }
    }
  });
  it('reads lower case, missing hyphens and O/I/L as 0/1', () => {
    const c = sample[0] ?? '';
    expect(verifyTrackingCode(c.toLowerCase().replace(/-/g, ''))).toBe(true);
    expect(normaliseTrackingCode('k7q 4mx 92p')).toBe('K7Q-4MX-92P');
    expect(normaliseTrackingCode('o1l-aaa-aaa')).toBe('011-AAA-AAA');
  });
  it('rejects the wrong length and U', () => {
    expect(verifyTrackingCode('K7Q-4MX-92')).toBe(false);
    expect(verifyTrackingCode('U7Q-4MX-92P')).toBe(false);
  });
});
