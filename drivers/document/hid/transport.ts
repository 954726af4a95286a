/**
 * Role (HID scanner transport): what the serial kit is for the serial devices, for a USB HID
 * scanner. The HID device the driver reads reports from: node-hid's `HID.HID` has this shape;
 * so does the fake device the tests use, because node-hid needs real hardware to construct.
 * Opening is a value, as with the serial transport, and keeps node-hid's own words.
 */
export interface HidDeviceLike {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  close(): void;
}

export type HidOpenResult =
  | { readonly kind: 'open'; readonly device: HidDeviceLike }
  | { readonly kind: 'error'; readonly unplugged: boolean; readonly message: string };

/** "0c2e:0b61" → numbers; undefined if it is not VID:PID in hex. */
export function parseVidPid(text: string): { readonly vendorId: number; readonly productId: number } | undefined {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { vendorId: Number.parseInt(m[1], 16), productId: Number.parseInt(m[2], 16) };
}

/**
 * Open a real scanner with node-hid. Loaded lazily so that tests and the simulator never load
 * the native addon. On Linux the user needs a udev rule that gives /dev/hidraw* to the kiosk's
 * group; none is shipped yet (docs/facts/linux-device-access.md).
 * A keyboard-wedge scanner is also a keyboard to the kernel: its keystrokes reach the focused
 * window too unless the input stack is told to ignore it (same page, keyboard-wedge scanners).
 */
export async function openNodeHid(vendorId: number, productId: number): Promise<HidOpenResult> {
  try {
    const hid = await import('node-hid');
    const device = new hid.HID(vendorId, productId);
    return { kind: 'open', device };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // node-hid says "cannot open device with vendor id …" when nothing with those ids is plugged in.
    return { kind: 'error', unplugged: /cannot open device|could not open|not found/i.test(message), message: `cannot open HID ${vendorId.toString(16)}:${productId.toString(16)}: ${message}` };
  }
}

/** Is a device with these ids on the bus? For hot-plug; node-hid lists without opening. */
export async function nodeHidPresent(vendorId: number, productId: number): Promise<boolean> {
  try {
    const hid = await import('node-hid');
    return (await hid.devicesAsync(vendorId, productId)).length > 0;
  } catch {
    return false;
  }
}
