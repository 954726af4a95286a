import { describe, expect, it } from 'vitest';
import { createDeviceLedger } from '../../../../controller/tech/device-ledger';

/** A clock the test moves: one second a call. */
function ticking(): () => Date {
  let t = Date.parse('2026-11-30T08:00:00Z');
  return () => new Date((t += 1000));
}

describe("the service screen's device ledger", () => {
  it('counts a stop and a recovery, and keeps the last error with the state it left the device in', () => {
    const ledger = createDeviceLedger(ticking());
    ledger.noteState('printer', 'connecting', undefined);
    ledger.noteState('printer', 'ready', undefined);
    expect(ledger.entry('printer')).toMatchObject({ counters: { faults: 0, recoveries: 0 } });
    expect(ledger.entry('printer').lastError).toBeUndefined();
    ledger.noteState('printer', 'disconnected', '/dev/cccd-printer disappeared: check the cable');
    expect(ledger.entry('printer').lastError).toMatchObject({ message: '/dev/cccd-printer disappeared: check the cable', state: 'disconnected' });
    ledger.noteState('printer', 'connecting', undefined);
    ledger.noteState('printer', 'ready', undefined);
    expect(ledger.entry('printer')).toMatchObject({ counters: { faults: 1, recoveries: 1 } });
  });

  it("keeps a failed self-test's words in both languages beside the driver's, for a technician who reads Vietnamese", () => {
    const ledger = createDeviceLedger(ticking());
    const summary = { vi: 'Máy in biên lai mất kết nối.', en: 'The receipt printer is disconnected.' };
    ledger.noteSelfTest('printer', false, 'self-test: EIO on /dev/cccd-printer', summary);
    expect(ledger.entry('printer').lastError).toMatchObject({ message: 'self-test: EIO on /dev/cccd-printer', summary });
    expect(ledger.entry('printer')).toMatchObject({ counters: { selfTests: 1, selfTestsFailed: 1 }, lastSelfTest: { ok: false } });
    ledger.noteSelfTest('printer', true);
    // A passing test does not wipe the error: it stays the last one seen.
    expect(ledger.entry('printer').lastError?.summary).toEqual(summary);
    expect(ledger.entry('printer')).toMatchObject({ counters: { selfTests: 2, selfTestsFailed: 1 }, lastSelfTest: { ok: true } });
  });
});
