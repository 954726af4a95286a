import { describe, expect, it } from 'vitest';
import { interpretStatus, statusRepliesFor } from './status';

const base = { paperOut: false, paperLow: false, coverOpen: false };

describe('DLE EOT status', () => {
  it('reads 0x12 on all four as ready', () => {
    expect(interpretStatus({ printer: 0x12, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 })).toEqual({ kind: 'ready' });
  });
  it('reads paper end bits (n = 4, bits 5–6) as paper out', () => {
    expect(interpretStatus({ printer: 0x1a, offlineCause: 0x32, errorCause: 0x12, paperSensor: 0x7e })).toEqual({ kind: 'paper-out' });
  });
  it('reads near-end bits (n = 4, bits 2–3) as paper low', () => {
    expect(interpretStatus({ printer: 0x12, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x1e })).toEqual({ kind: 'paper-low' });
  });
  it('reads the cover bit (n = 2, bit 2) as cover open', () => {
    expect(interpretStatus({ printer: 0x1a, offlineCause: 0x16, errorCause: 0x12, paperSensor: 0x12 })).toEqual({ kind: 'cover-open' });
  });
  it('reads the offline bit alone (n = 1, bit 3) as offline', () => {
    expect(interpretStatus({ printer: 0x1a, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 })).toEqual({ kind: 'offline' });
  });
  it('reads an unrecoverable error (n = 3, bit 5) as a device error', () => {
    expect(interpretStatus({ printer: 0x1a, offlineCause: 0x52, errorCause: 0x32, paperSensor: 0x12 })).toMatchObject({ kind: 'fault', reason: 'device-error' });
  });
  it('calls a byte without the fixed bits a protocol fault', () => {
    expect(interpretStatus({ printer: 0xff, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 })).toMatchObject({ kind: 'fault', reason: 'protocol' });
  });
  it('round-trips every simulated condition', () => {
    expect(interpretStatus(statusRepliesFor(base))).toEqual({ kind: 'ready' });
    expect(interpretStatus(statusRepliesFor({ ...base, paperOut: true }))).toEqual({ kind: 'paper-out' });
    expect(interpretStatus(statusRepliesFor({ ...base, paperLow: true }))).toEqual({ kind: 'paper-low' });
    expect(interpretStatus(statusRepliesFor({ ...base, coverOpen: true }))).toEqual({ kind: 'cover-open' });
  });
});
