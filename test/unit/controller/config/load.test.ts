import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { validateConfig } from '../../../../controller/config/load';

describe('config validation', () => {
  it('accepts the shipped default config with every device simulated', () => {
    const r = validateConfig(JSON.parse(readFileSync(new URL('../../../../config/default.json', import.meta.url), 'utf8')));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.values(r.config.devices).map((d) => d.driver)).toEqual(['sim', 'sim', 'sim', 'sim', 'sim']);
    expect(r.config.server).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('fills every key from defaults when the file is empty', () => {
    const r = validateConfig({});
    expect(r.ok && r.config.flow.fingerAttempts).toBe(3);
  });

  it('names the path of a bad key and what is allowed', () => {
    const r = validateConfig({ flow: { fingerAttempts: 0 }, devices: { fingerprint: { driver: 'r999' } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/flow\.fingerAttempts.*>=1/);
    expect(r.errors.join('\n')).toMatch(/devices\.fingerprint\.driver.*sim.*r30x/);
  });

  it('refuses keys it does not know, so a typo does not silently fall back to a default', () => {
    const r = validateConfig({ flow: { idleTimoutMs: 5 } });
    expect(r.ok).toBe(false);
  });

  it('requires a port for a real serial device', () => {
    const r = validateConfig({ devices: { printer: { driver: 'escpos' } } });
    expect(!r.ok && r.errors.join()).toMatch(/devices\.printer\.port/);
  });

  it.each(readdirSync(new URL('../../../../config/examples/', import.meta.url)).filter((f) => f.endsWith('.json')))('accepts the example config %s', (file) => {
    const r = validateConfig(JSON.parse(readFileSync(new URL(`../../../../config/examples/${file}`, import.meta.url), 'utf8')));
    expect(r.ok ? 'valid' : r.errors).toBe('valid');
  });
});
