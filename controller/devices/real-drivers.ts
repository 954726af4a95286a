import type { Logger } from 'pino';
import { SerialDocumentScanner } from '../../drivers/document/serial/driver';
import { HidDocumentScanner } from '../../drivers/document/hid/driver';
import { openNodeHid } from '../../drivers/document/hid/transport';
import { R30xDriver } from '../../drivers/fingerprint/r30x/driver';
import { PiCamera } from '../../drivers/camera/pi';
import { FirmataPanel } from '../../drivers/gpio/firmata/driver';
import { EscPosPrinter } from '../../drivers/printer/escpos/driver';
import { openSerialTransport } from '../../drivers/serial/byte-transport';
import type { Camera, DocumentScanner, FingerprintSensor, GpioPanel, ReceiptPrinter } from '../../drivers/types';
import type { KioskConfig } from '../config/schema';

type Devices = KioskConfig['devices'];
type Real<K extends keyof Devices> = Exclude<Devices[K], { driver: 'sim' }>;

/** The real drivers, built from config. Each logs through the kiosk's logger, never prints. */

export function realFingerprint(c: Real<'fingerprint'>, log: Logger): FingerprintSensor {
  return new R30xDriver({
    path: c.port.path,
    baud: c.port.baud,
    address: c.address,
    password: c.password,
    ...(c.raiseBaud ? { raiseBaudTo: 115_200 } : {}),
    log: (event) => log.debug({ device: 'fingerprint', ...event }, 'r30x'),
  });
}

const SUFFIX = { cr: 'CR', lf: 'LF', crlf: 'CRLF', none: 'none' } as const;

export function realScanner(c: Real<'document'>, log: Logger): DocumentScanner {
  const onEvent = (event: string, detail: Readonly<Record<string, unknown>>) => log.debug({ device: 'document', event, ...detail }, 'scanner');
  if (c.driver === 'serial') {
    return new SerialDocumentScanner({ path: c.port.path, baudRate: c.port.baud, suffix: SUFFIX[c.suffix], idleGapMs: 150, log: onEvent });
  }
  return new HidDocumentScanner({
    openDevice: () => openNodeHid(c.vendorId, c.productId),
    mode: { kind: 'keyboard', terminator: 'enter' },
    idleGapMs: 150,
    name: `hid:${c.vendorId.toString(16).padStart(4, '0')}:${c.productId.toString(16).padStart(4, '0')}`,
    log: onEvent,
  });
}

export function realPrinter(c: Real<'printer'>, _log: Logger): ReceiptPrinter {
  return new EscPosPrinter({
    driverName: 'escpos',
    where: `${c.port.path} at ${c.port.baud} baud`,
    connect: () => openSerialTransport({ path: c.port.path, baudRate: c.port.baud }),
    encode: { paper: c.paperWidth === '58mm' ? 58 : 80, vietnamese: c.vietnamese },
  });
}

/** The Pi camera through pi-camera-connect: one long-lived MJPEG stream for preview and stills (docs/facts/camera.md). */
export function realCamera(c: Real<'camera'>, _log: Logger): Camera {
  return new PiCamera({ width: c.width, height: c.height, fps: c.fps });
}

/** The front panel: an Arduino running StandardFirmata on USB serial (drivers/gpio/firmata). */
export function realPanel(c: Real<'gpio'>, log: Logger): GpioPanel {
  return new FirmataPanel({
    where: `${c.port.path} at ${c.port.baud} baud`,
    connect: () => openSerialTransport({ path: c.port.path, baudRate: c.port.baud }),
    wiring: c.pins,
    openTimeoutMs: c.openTimeoutMs,
    debounceMs: c.debounceMs,
    log: (event, detail) => log.debug({ device: 'gpio', event, ...detail }, 'firmata'),
  });
}
