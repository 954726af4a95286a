import { describe, expect, it } from 'vitest';
import type { ScanFrame, StreamCodec } from '../../../../drivers/document/codec';
import { CodecPump, ScannerCore } from '../../../../drivers/document/scanner-core';
import { recordingLog } from '../../../helpers/device-log';

/** A codec that throws on a byte it "cannot handle": codecs must not, but nothing from a wire may throw past a driver. */
class Brittle implements StreamCodec {
  held = 0;
  push(bytes: Uint8Array): ScanFrame[] {
    if (bytes.includes(0xee)) throw new RangeError('brittle codec');
    return [{ kind: 'scan', text: new TextDecoder().decode(bytes) }];
  }
  idle(): ScanFrame[] {
    return [];
  }
  deadline(): number | undefined {
    return undefined;
  }
}

describe('the scanner drivers’ codec pump', () => {
  it('turns a codec that throws into an unreadable scan, starts it afresh, and reads on', async () => {
    const core = new ScannerCore({ driver: 'test', log: recordingLog() });
    core.opened('test');
    let codec = new Brittle();
    let renewed = 0;
    const pump = new CodecPump(core, () => codec, () => performance.now(), {
      renew: () => {
        renewed++;
        codec = new Brittle();
      },
    });
    const first = core.read({ waitMs: 1000 });
    expect(() => pump.feed(Uint8Array.of(0x41, 0xee))).not.toThrow();
    expect(await first).toMatchObject({ kind: 'fault', reason: 'protocol' });
    expect(renewed).toBe(1);
    expect(pump.stats().codecErrors).toBe(1);
    const second = core.read({ waitMs: 1000 });
    pump.feed(new TextEncoder().encode('OK'));
    expect(await second).toEqual({ kind: 'text', text: 'OK' });
  });
});
