import type { Logger } from 'pino';
import { PiCamera } from '../../drivers/camera/driver';
import { createRpicamCamera } from '../../drivers/camera/rpicam/driver';
import { HidDocumentScanner } from '../../drivers/document/hid/driver';
import { nodeHidPresent, openNodeHid, type HidOpenResult } from '../../drivers/document/hid/transport';
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

/** node-hid, replaceable where no scanner is plugged in (a test hands a fake device to the real driver). */
export interface HidAccess {
  readonly open?: (vendorId: number, productId: number) => Promise<HidOpenResult>;
  readonly present?: (vendorId: number, productId: number) => Promise<boolean>;
}

export function realScanner(c: Real<'document'>, log: Logger, hid: HidAccess = {}): DocumentScanner {
  if (c.driver === 'serial') {
    return new SerialDocumentScanner({ port: { path: c.port.path, baudRate: c.port.baud }, log, suffix: SUFFIX[c.suffix], idleGapMs: 150 });
  }
  const ids = `${c.vendorId.toString(16).padStart(4, '0')}:${c.productId.toString(16).padStart(4, '0')}`;
  return new HidDocumentScanner({
    openDevice: () => (hid.open ?? openNodeHid)(c.vendorId, c.productId),
    isPresent: () => (hid.present ?? nodeHidPresent)(c.vendorId, c.productId),
    mode: c.mode === 'pos' ? { kind: 'pos', ...c.pos } : { kind: 'keyboard', terminator: 'enter' },
    idleGapMs: 150,
    name: c.mode === 'pos' ? `hid-pos:${ids}` : `hid:${ids}`,
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

/**
 * The Pi camera: one long-lived MJPEG stream for preview and stills (docs/facts/camera.md), from
 * `rpicam-vid` (the current camera stack) or from `raspivid` through pi-camera-connect (legacy).
 */
export function realCamera(c: Real<'camera'>, log: Logger): Camera {
  const stream = { command: c.command, width: c.width, height: c.height, fps: c.fps, stallMs: c.stallMs, startTimeoutMs: c.startTimeoutMs, log };
  if (c.driver === 'rpicam') {
    return createRpicamCamera({ ...stream, quality: c.quality, camera: c.camera, rotation: c.rotation, hflip: c.hflip, vflip: c.vflip, extraArgs: c.extraArgs });
  }
  return new PiCamera(stream);
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
