import type { Logger } from 'pino';
import { PiCamera } from '../../drivers/camera/driver';
import { HidDocumentScanner } from '../../drivers/document/hid/driver';
import { openNodeHid } from '../../drivers/document/hid/transport';
import { SerialDocumentScanner } from '../../drivers/document/serial/driver';
import { R30xDriver } from '../../drivers/fingerprint/r30x/driver';
import { FirmataLink } from '../../drivers/gpio/firmata/link';
import { FivePanel } from '../../drivers/gpio/panel';
import { PiGpioLink } from '../../drivers/gpio/pi/link';
import { EscPosPrinter } from '../../drivers/printer/escpos/driver';
import type { Camera, DocumentScanner, FingerprintSensor, GpioPanel, ReceiptPrinter } from '../../drivers/types';
import type { KioskConfig } from '../config/schema';

type Devices = KioskConfig['devices'];
type Real<K extends keyof Devices> = Exclude<Devices[K], { driver: 'sim' }>;

/**
 * The real drivers, built from config. Each is given the kiosk's logger for its device (pino's
 * Logger is a DeviceLog as it is) and never prints.
 */

export function realFingerprint(c: Real<'fingerprint'>, log: Logger): FingerprintSensor {
  return new R30xDriver({
    port: { path: c.port.path, baudRate: c.port.baud },
    log,
    address: c.address,
    password: c.password,
    ...(c.raiseBaud ? { raiseBaudTo: 115_200 } : {}),
  });
}

const SUFFIX = { cr: 'CR', lf: 'LF', crlf: 'CRLF', none: 'none' } as const;

export function realScanner(c: Real<'document'>, log: Logger): DocumentScanner {
  if (c.driver === 'serial') {
    return new SerialDocumentScanner({ port: { path: c.port.path, baudRate: c.port.baud }, log, suffix: SUFFIX[c.suffix], idleGapMs: 150 });
  }
  return new HidDocumentScanner({
    openDevice: () => openNodeHid(c.vendorId, c.productId),
    mode: { kind: 'keyboard', terminator: 'enter' },
    idleGapMs: 150,
    name: `hid:${c.vendorId.toString(16).padStart(4, '0')}:${c.productId.toString(16).padStart(4, '0')}`,
    log,
  });
}

export function realPrinter(c: Real<'printer'>, log: Logger): ReceiptPrinter {
  return new EscPosPrinter({
    driverName: 'escpos',
    port: { path: c.port.path, baudRate: c.port.baud },
    log,
    encode: { paper: c.paperWidth === '58mm' ? 58 : 80, vietnamese: c.vietnamese },
  });
}

/** The Pi camera through pi-camera-connect: one long-lived MJPEG stream for preview and stills (docs/facts/camera.md). */
export function realCamera(c: Real<'camera'>, log: Logger): Camera {
  return new PiCamera({ width: c.width, height: c.height, fps: c.fps, log });
}

/**
 * The front panel on johnny-five (drivers/gpio/panel.ts), its IO as config says: an Arduino
 * running StandardFirmata on USB serial (drivers/gpio/firmata), or the Pi's own header pins
 * through the GPIO character device (drivers/gpio/pi).
 */
export function realPanel(c: Real<'gpio'>, log: Logger): GpioPanel {
  const link =
    c.driver === 'firmata'
      ? new FirmataLink({ port: { path: c.port.path, baudRate: c.port.baud }, log, wiring: c.pins, openTimeoutMs: c.openTimeoutMs })
      : new PiGpioLink({ chip: c.chip, wiring: c.pins, log });
  return new FivePanel({ link, wiring: c.pins, log, debounceMs: c.debounceMs, presenceCalibrationMs: c.presenceCalibrationMs });
}
