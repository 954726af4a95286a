import { describe, expect, it } from 'vitest';
import { hashPin, PIN_HASH_PATTERN, pinProblem, verifyPin } from '../../../../controller/tech/pin';
import { configSchema } from '../../../../controller/config/schema';

describe("the technician's PIN", () => {
  it('is kept as a salted scrypt hash that the right PIN matches and no other does', async () => {
    const hash = await hashPin('482913', { ln: 4 });
    expect(hash).toMatch(PIN_HASH_PATTERN);
    expect(hash).not.toContain('482913');
    await expect(verifyPin('482913', hash)).resolves.toBe(true);
    await expect(verifyPin('482914', hash)).resolves.toBe(false);
    await expect(verifyPin('', hash)).resolves.toBe(false);
    await expect(verifyPin('4829130', hash)).resolves.toBe(false);
  });

  it('gets a fresh salt each time: the same PIN hashes differently', async () => {
    const a = await hashPin('482913', { ln: 4 });
    const b = await hashPin('482913', { ln: 4 });
    expect(a).not.toBe(b);
    await expect(verifyPin('482913', b)).resolves.toBe(true);
  });

  it('uses scrypt with N = 2^14 by default, and the config accepts what it writes', async () => {
    const hash = await hashPin('731904');
    expect(hash.startsWith('$scrypt$ln=14,r=8,p=1$')).toBe(true);
    expect(configSchema.parse({ tech: { pinHash: hash } }).tech.pinHash).toBe(hash);
  });

  it('matches nothing against a malformed or absurd hash instead of throwing or stalling', async () => {
    await expect(verifyPin('482913', 'not a hash')).resolves.toBe(false);
    await expect(verifyPin('482913', '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).resolves.toBe(false);
  });

  it('refuses PINs that are not 6-12 digits, or that are guessed first', () => {
    expect(pinProblem('48291')).toMatch(/6 to 12 digits/);
    expect(pinProblem('4829a3')).toMatch(/6 to 12 digits/);
    expect(pinProblem('1234567890123')).toMatch(/6 to 12 digits/);
    expect(pinProblem('000000')).toMatch(/repeated/);
    expect(pinProblem('123456')).toMatch(/in a row/);
    expect(pinProblem('987654')).toMatch(/in a row/);
    expect(pinProblem('482913')).toBeUndefined();
  });

  it('will not hash a PIN it refuses', async () => {
    await expect(hashPin('1234', { ln: 4 })).rejects.toThrow(/6 to 12 digits/);
  });
});
