import type { Logger } from 'pino';
import { createSimCamera, type SimCamera } from '../../drivers/camera/sim';
import { SIM_CAMERA_SIZE, defaultSceneJpeg } from '../../drivers/camera/sim-scene';
import { createSimulatedHidScanner } from '../../drivers/document/hid/simulated';
import { createSimulatedScanner } from '../../drivers/document/serial/simulated';
import { createSimulatedR30x } from '../../drivers/fingerprint/r30x/simulated';
import { createSimulatedPanel } from '../../drivers/gpio/firmata/simulated';
import { createSimulatedPrinter } from '../../drivers/printer/escpos/simulated';
import type { DeviceSet } from '../../drivers/types';
import type { KioskConfig } from '../config/schema';
import type { SimControls } from './sim-controls';
import { realCamera, realFingerprint, realPanel, realPrinter, realScanner } from './real-drivers';

export interface BuiltDevices {
  readonly devices: DeviceSet;
  /** Present when at least one device runs on its simulator. */
  readonly sim?: SimControls;
}

/**
 * Config → devices. Each device is its real driver or its simulator (`driver: "sim"`), and the
 * simulators are the real drivers talking to a simulated device over the serial kit's simulated
 * wire (serialport's mock binding), so the kiosk on a laptop runs the same driver code as on the
 * Pi. Every driver logs through a child of the kiosk's logger, tagged with its device.
 */
export async function buildDevices(config: KioskConfig, log: Logger): Promise<BuiltDevices> {
  const d = config.devices;
  let realistic = config.simulation.realisticTiming;
  const sim: SimControls = {};
  const timingHooks: Array<(on: boolean) => void> = [];
  const logOf = (device: keyof DeviceSet): Logger => log.child({ device });

  let fingerprint: DeviceSet['fingerprint'];
  if (d.fingerprint.driver === 'sim') {
    const s = createSimulatedR30x({ model: d.fingerprint.model, packetSize: d.fingerprint.packetSize, realisticTiming: realistic, log: logOf('fingerprint') });
    fingerprint = s.sensor;
    sim.fingerprint = async (req) => {
      if (req.replug) s.link.replug();
      for (const choice of req.next ?? []) s.present(choice);
      if (req.unplugMidUpload) s.sim.knobs.unplugAfterDataPackets = 3;
      if (req.unplug) s.link.unplug();
    };
    timingHooks.push((on) => s.sim.setRealisticTiming(on));
  } else {
    fingerprint = realFingerprint(d.fingerprint, logOf('fingerprint'));
  }

  let document: DeviceSet['document'];
  if (d.document.driver === 'sim') {
    // A serial scanner on the simulated wire, or a USB HID one (keyboard wedge or HID-POS).
    const via = d.document.interface ?? 'serial';
    const s =
      via === 'serial'
        ? createSimulatedScanner({ log: logOf('document') })
        : createSimulatedHidScanner({ mode: via === 'hid-pos' ? 'pos' : 'keyboard', log: logOf('document') });
    document = s.scanner;
    sim.document = async (req) => {
      if ('present' in req) await s.sim.present(req.present);
      else if ('garbage' in req) await s.sim.sendGarbage();
      else if ('half' in req) await s.sim.sendHalf(req.half);
      else if ('replug' in req) await s.sim.replug();
      else await s.sim.unplug();
    };
  } else {
    document = realScanner(d.document, logOf('document'));
  }

  let camera: DeviceSet['camera'];
  if (d.camera.driver === 'sim') {
    const cam: SimCamera = createSimCamera({
      source: d.camera.folder ? { folder: d.camera.folder } : { images: [await defaultSceneJpeg()] },
      fps: 15,
      ...SIM_CAMERA_SIZE,
      log: logOf('camera'),
    });
    camera = cam;
    sim.camera = async (req) => {
      if (req.unplug) cam.unplug();
      else if (req.replug) cam.replug();
      else if (req.scenario) await cam.setScenario(req.scenario);
    };
  } else {
    camera = realCamera(d.camera, logOf('camera'));
  }

  let printer: DeviceSet['printer'];
  if (d.printer.driver === 'sim') {
    const s = createSimulatedPrinter({ paper: d.printer.paperWidth === '58mm' ? 58 : 80, log: logOf('printer') });
    printer = s.printer;
    sim.printer = async (req) => {
      if ('unplug' in req) s.link.unplug();
      else if ('replug' in req) s.link.replug();
      else s.sim.set(req);
    };
    sim.receiptPng = () => s.sim.lastReceiptPng();
  } else {
    printer = realPrinter(d.printer, logOf('printer'));
  }

  let gpio: DeviceSet['gpio'];
  if (d.gpio.driver === 'sim') {
    // The johnny-five panel over the real Firmata link against a simulated board: a press acts
    // on the board's pins, and johnny-five hears it as the DIGITAL_MESSAGE bytes a real Uno sends.
    const s = createSimulatedPanel({ log: logOf('gpio') });
    gpio = s.panel;
    sim.panel = async (req) => {
      if ('press' in req) return s.tap(req.press);
      if ('set' in req) return s.board.press(req.set, req.active);
      if ('unplug' in req) return s.link.unplug();
      return s.link.replug();
    };
  } else {
    gpio = realPanel(d.gpio, logOf('gpio'));
  }

  const anySim = Object.keys(sim).length > 0;
  if (anySim) {
    sim.timing = async ({ realistic: on }) => {
      realistic = on;
      for (const hook of timingHooks) hook(on);
      log.info({ realistic: on }, 'simulated device timing changed');
    };
  }
  return { devices: { fingerprint, document, camera, printer, gpio }, ...(anySim ? { sim } : {}) };
}
