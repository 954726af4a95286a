import { describe, expect, it } from 'vitest';
import { diffConfig } from '../../../../controller/store/config-diff';

/** What the audit chain's `config` entry names as changed since the last start. */
describe('diffConfig', () => {
  it('names each changed setting by its path, with the old and new value', () => {
    const before = { kioskId: 'K-1', flow: { idleTimeoutMs: 45000, fingerAttempts: 3 }, devices: { printer: { driver: 'sim' } } };
    const after = { kioskId: 'K-1', flow: { idleTimeoutMs: 30000, fingerAttempts: 3 }, devices: { printer: { driver: 'escpos', port: { path: '/dev/ttyUSB0' } } } };
    expect(diffConfig(before, after)).toEqual([
      { path: 'devices.printer.driver', from: 'sim', to: 'escpos' },
      { path: 'devices.printer.port', from: null, to: { path: '/dev/ttyUSB0' } },
      { path: 'flow.idleTimeoutMs', from: 45000, to: 30000 },
    ]);
  });

  it('is empty for the same config, whatever order its keys were written in', () => {
    expect(diffConfig({ a: 1, b: { c: [1, 2], d: { x: 1, y: 2 } } }, { b: { d: { y: 2, x: 1 }, c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('compares a list as one setting', () => {
    expect(diffConfig({ pins: [2, 3] }, { pins: [2, 4] })).toEqual([{ path: 'pins', from: [2, 3], to: [2, 4] }]);
  });

  it('names a setting that was removed', () => {
    expect(diffConfig({ sealing: { centralPublicKey: '/etc/k.pem', aead: 'aes-256-gcm' } }, { sealing: { aead: 'aes-256-gcm' } })).toEqual([
      { path: 'sealing.centralPublicKey', from: '/etc/k.pem', to: null },
    ]);
  });
});
