import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscPosParser, MAX_COMMAND_BYTES, interpretStatus, statusRepliesFor } from '../../../../../drivers/printer/escpos/codec';
import { GS } from '../../../../../drivers/printer/escpos/protocol';

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

describe('ESC/POS job stream parser', () => {
  it('reads a command split across chunks', () => {
    const p = new EscPosParser();
    expect(p.push(Uint8Array.of(0x1b))).toEqual([]);
    expect(p.push(Uint8Array.of(0x40, 0x0a))).toEqual([
      { cmd: { kind: 'init' }, size: 2 },
      { cmd: { kind: 'newline' }, size: 1 },
    ]);
  });

  it('discards a bit image header that promises more than any receipt, instead of waiting for it', () => {
    const p = new EscPosParser();
    // GS v 0, 0xFFFF bytes wide and 0xFFFF rows high: 4 GB that will never come.
    const out = p.push(Uint8Array.of(GS, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff, 0x0a));
    expect(out[0]).toEqual({ cmd: { kind: 'discarded', byte: GS }, size: 1 });
    expect(out.at(-1)).toEqual({ cmd: { kind: 'newline' }, size: 1 });
  });

  it('never throws on random bytes and never holds more than one command', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 30 }), (chunks) => {
        const p = new EscPosParser();
        let fed = 0;
        let taken = 0;
        for (const c of chunks) {
          fed += c.length;
          taken += p.push(c).reduce((n, x) => n + x.size, 0);
        }
        return fed - taken <= MAX_COMMAND_BYTES;
      }),
      { numRuns: 200 },
    );
  });
});
