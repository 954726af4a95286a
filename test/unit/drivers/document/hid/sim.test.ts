import { describe, expect, it } from 'vitest';
import { HidScannerSim, keyboardReports, posReports } from '../../../../../drivers/document/hid/sim';
import { keyboardReports as helperKeyboard, posReports as helperPos } from '../../../../helpers/fake-hid-device';
import { MRZ_VALID, QR_VALID } from '../../../../fixtures/documents/samples';

const bytes = (rs: readonly Uint8Array[]) => rs.map((r) => Buffer.from(r).toString('hex'));

describe('the simulated HID scanner', () => {
  it('sends the reports a scanner sends (checked against the test helper’s own encoders)', () => {
    for (const text of [QR_VALID, MRZ_VALID, 'a']) {
      expect(bytes(keyboardReports(text))).toEqual(bytes(helperKeyboard(text)));
      expect(bytes(posReports(new TextEncoder().encode(text)))).toEqual(bytes(helperPos(text)));
    }
  });

  it('cannot be opened while its cable is out, and can again once it is back', async () => {
    const sim = new HidScannerSim({ mode: 'pos' });
    const first = await sim.open();
    expect(first.kind).toBe('open');
    const errors: string[] = [];
    if (first.kind === 'open') first.device.on('error', (e) => errors.push(e.message));
    sim.unplug();
    expect(errors).toEqual(['could not read from HID device']);
    expect(await sim.present()).toBe(false);
    expect(await sim.open()).toMatchObject({ kind: 'error', unplugged: true });
    expect(await sim.open()).toMatchObject({ kind: 'error', unplugged: true });
    sim.replug();
    expect(await sim.present()).toBe(true);
    expect((await sim.open()).kind).toBe('open');
  });
});
