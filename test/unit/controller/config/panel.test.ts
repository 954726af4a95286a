/**
 * The front panel's config (issue #13): its IO chosen by `driver` (firmata on USB, or pi-gpio on
 * the Pi's header), the new PIR and start-screen timings, each refused with the key's path and
 * what to do.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../controller/config/load';
import { PI_HEADER_WIRING } from '../../../../drivers/gpio/firmata/wiring';

const errors = (value: unknown): string => {
  const r = validateConfig(value);
  return r.ok ? '' : r.errors.join('\n');
};

describe('config of the front panel', () => {
  it('pi-gpio: the header chip found by its label and the reference header wiring, from just the driver', () => {
    const r = validateConfig({ devices: { gpio: { driver: 'pi-gpio' } } });
    expect(r.ok && r.config.devices.gpio).toEqual({ driver: 'pi-gpio', chip: 'auto', pins: PI_HEADER_WIRING, debounceMs: 30, presenceCalibrationMs: 2000 });
  });

  it('pi-gpio: a chip by name, not by path', () => {
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', chip: 'gpiochip4' } } })).toBe('');
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', chip: '/dev/gpiochip0' } } })).toMatch(/devices\.gpio\.chip.*"gpiochip0".*gpiodetect.*"auto"/);
  });

  it('pi-gpio: header pins only (GPIO2–27), never the serial console, never one twice', () => {
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', pins: { leds: { status: 28 } } } } })).toMatch(/devices\.gpio\.pins\.leds\.status/);
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', pins: { leds: { status: 1 } } } } })).toMatch(/devices\.gpio\.pins\.leds\.status/);
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', pins: { inputs: { tamper: { pin: 14 } } } } } })).toMatch(/devices\.gpio\.pins\.inputs\.tamper\.pin.*GPIO14.*serial console/);
    expect(errors({ devices: { gpio: { driver: 'pi-gpio', pins: { inputs: { presence: { pin: 17 } } } } } })).toMatch(/pin 17 is used twice: leds\.status and inputs\.presence/);
  });

  it('either board: a PIR read as active low is refused, saying how to wire it', () => {
    for (const gpio of [{ driver: 'pi-gpio' }, { driver: 'firmata', port: { path: '/dev/ttyACM0' } }]) {
      expect(errors({ devices: { gpio: { ...gpio, pins: { inputs: { presence: { activeLow: true } } } } } })).toMatch(/devices\.gpio\.pins\.inputs\.presence\.activeLow.*HIGH on motion.*activeLow to false/);
    }
  });

  it('firmata: the PIR calibration time is a duration', () => {
    const r = validateConfig({ devices: { gpio: { driver: 'firmata', port: { path: '/dev/ttyACM0' }, presenceCalibrationMs: 30_000 } } });
    expect(r.ok && r.config.devices.gpio).toMatchObject({ driver: 'firmata', presenceCalibrationMs: 30_000 });
    expect(errors({ devices: { gpio: { driver: 'firmata', port: { path: '/dev/ttyACM0' }, presenceCalibrationMs: -1 } } })).toMatch(/devices\.gpio\.presenceCalibrationMs/);
  });

  it('an unknown panel driver names the ones there are', () => {
    expect(errors({ devices: { gpio: { driver: 'raspi-io' } } })).toMatch(/devices\.gpio\.driver.*sim.*firmata.*pi-gpio/);
  });

  it('flow: the start screen goes quiet after 5 minutes by default (0: never) and an absent citizen is asked after 15 s', () => {
    const r = validateConfig({});
    expect(r.ok && [r.config.flow.attractSleepMs, r.config.flow.absentTimeoutMs]).toEqual([300_000, 15_000]);
    expect(errors({ flow: { attractSleepMs: 0 } })).toBe('');
    expect(errors({ flow: { absentTimeoutMs: -5 } })).toMatch(/flow\.absentTimeoutMs/);
  });
});
