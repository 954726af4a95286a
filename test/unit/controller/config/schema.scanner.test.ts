/**
 * The document scanner's settings (issue #13): a USB HID scanner in keyboard-wedge or HID-POS
 * mode, its USB ids as `lsusb` prints them, and clear errors for what cannot work.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../controller/config/load';

const scanner = (document: Record<string, unknown>) => validateConfig({ devices: { document } });
const errorsOf = (document: Record<string, unknown>): string => {
  const r = scanner(document);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(document)}`);
  return r.errors.join('\n');
};

describe('the document scanner’s settings', () => {
  it('choose a HID-POS scanner by its USB ids, written as lsusb prints them', () => {
    const r = scanner({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0x0B61' });
    expect(r.ok && r.config.devices.document).toEqual({ driver: 'hid', mode: 'pos', vendorId: 0x0c2e, productId: 0x0b61 });
  });

  it('still take the ids as numbers, and a HID scanner without a mode is a keyboard wedge as before', () => {
    const r = scanner({ driver: 'hid', vendorId: 3118, productId: 2913 });
    expect(r.ok && r.config.devices.document).toEqual({ driver: 'hid', vendorId: 3118, productId: 2913 });
  });

  it('say where to find a missing vendor or product id', () => {
    expect(errorsOf({ driver: 'hid', mode: 'pos', productId: '0b61' })).toMatch(/devices\.document\.vendorId.*required.*USB vendor ID.*lsusb.*before the colon/);
    expect(errorsOf({ driver: 'hid', mode: 'pos', vendorId: '0c2e' })).toMatch(/devices\.document\.productId.*required.*USB product ID.*after the colon/);
  });

  it.each([['zz12'], ['0c2e:0b61'], [70_000], [-1], [1.5]])('refuse an id that is not one (%s), showing what was given', (bad) => {
    const text = errorsOf({ driver: 'hid', mode: 'pos', vendorId: bad, productId: '0b61' });
    expect(text).toMatch(/devices\.document\.vendorId/);
    expect(text).toMatch(/4 hex digits/);
    expect(text).toContain(JSON.stringify(bad));
  });

  it('refuse a mode the driver does not have, naming the ones it has', () => {
    expect(errorsOf({ driver: 'hid', mode: 'serial', vendorId: '0c2e', productId: '0b61' })).toMatch(/devices\.document\.mode.*"keyboard".*"pos"/);
  });

  it('take a HID-POS report layout only with mode pos, and only one whose length and "more" bytes lie outside the data', () => {
    expect(scanner({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0b61', pos: { reportId: 4, lengthOffset: 1, dataOffset: 2, maxData: 60, moreFlagOffset: 62 } }).ok).toBe(true);
    expect(errorsOf({ driver: 'hid', vendorId: '0c2e', productId: '0b61', pos: { reportId: 4 } })).toMatch(/devices\.document\.pos.*only used with "mode": "pos"/);
    expect(errorsOf({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0b61', pos: { lengthOffset: 10 } })).toMatch(/devices\.document\.pos\.lengthOffset.*inside the data bytes 2–57/);
    expect(errorsOf({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0b61', pos: { maxData: 62 } })).toMatch(/devices\.document\.pos\.moreFlagOffset.*inside the data bytes 2–63/);
  });

  it('simulate a serial, keyboard-wedge or HID-POS scanner, and nothing else', () => {
    for (const via of ['serial', 'hid-keyboard', 'hid-pos']) expect(scanner({ driver: 'sim', interface: via }).ok).toBe(true);
    expect(errorsOf({ driver: 'sim', interface: 'bluetooth' })).toMatch(/devices\.document\.interface/);
  });
});
