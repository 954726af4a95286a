import { describe, expect, it } from 'vitest';
import { gpioDevice } from '../../../controller/config/schema';
import { DEFAULT_WIRING } from '../../../drivers/gpio/firmata/wiring';

describe('gpio config for the Firmata panel', () => {
  it('fills in the reference wiring and StandardFirmata baud from just a port path', () => {
    const c = gpioDevice.parse({ driver: 'firmata', port: { path: '/dev/ttyACM0' } });
    expect(c).toMatchObject({ driver: 'firmata', port: { path: '/dev/ttyACM0', baud: 57_600 }, pins: DEFAULT_WIRING, debounceMs: 30 });
  });

  it('names both users of a pin wired twice', () => {
    const r = gpioDevice.safeParse({ driver: 'firmata', port: { path: '/dev/ttyACM0' }, pins: { inputs: { tamper: { pin: 3 } } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([expect.objectContaining({ path: ['pins', 'inputs', 'tamper', 'pin'], message: 'pin 3 is used twice: leds.help and inputs.tamper' })]);
  });

  it('refuses the serial pins 0 and 1 and pins past the Mega', () => {
    expect(gpioDevice.safeParse({ driver: 'firmata', port: { path: '/dev/ttyACM0' }, pins: { leds: { status: 1 } } }).error?.issues[0]?.message).toContain('USB serial');
    expect(gpioDevice.safeParse({ driver: 'firmata', port: { path: '/dev/ttyACM0' }, pins: { leds: { status: 70 } } }).success).toBe(false);
  });

  it('still accepts the simulator', () => {
    expect(gpioDevice.parse({ driver: 'sim' })).toEqual({ driver: 'sim' });
  });
});
