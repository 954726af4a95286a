import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { mjpegHandler } from './server/camera-preview';
import { createFaceDetector, type FaceDetector } from './capture/face-detector';
import { fingerprintQuality } from './capture/fingerprint-quality';
import { SAME_FINGER_THRESHOLD, similarity } from './capture/fingerprint-match';
import type { KioskConfig } from './config/schema';
import { buildDevices } from './devices/factory';
import { wirePanel } from './devices/panel';
import { watchPrinter } from './devices/printer-watch';
import { startSupervisor, supervisedState, type SupervisorRef } from './devices/supervisor';
import { createKioskRuntime, type KioskRuntime } from './enrollment/runtime';
import { provideServices } from './enrollment/services';
import { createDevCentralKeys, loadCentralPublicKey, loadOrCreateKioskKeys } from './packet/keys';
import { createKioskServer, type KioskServer } from './server/http';
import { simApiHandler } from './server/sim-api';
import { createDocumentService } from './services/document';
import { createFaceService } from './services/face';
import { createFingerprintService } from './services/fingerprint';
import { createReceiptService } from './services/receipt';
import type { StaffAlert } from './ops/alerts';
import { wireHelpDesk } from './ops/help-desk';
import { checkSignature } from './services/signature';
import { createSubmitService, type SubmitStats } from './services/submit';
import { openStore, type Store } from './store/store';
import pkg from '../package.json';
import type { DeviceKind, DeviceState } from '../domain/devices';
import type { PrinterProblem } from '../domain/kiosk-channel/view-model';

/**
 * The boot order, in one place (docs/architecture.md, after balena-supervisor): data dir → keys →
 * store → devices and their supervisors → the statechart with its services → the HTTP/ws server.
 * Tests, the benchmark and main.ts all start the kiosk through here.
 */

export interface RunningKiosk {
  readonly url: string;
  readonly port: number;
  readonly runtime: KioskRuntime;
  readonly store: Store;
  readonly dataDir: string;
  /** Per-enrollment figures from the submit service (for the benchmark). */
  readonly submitStats: SubmitStats[];
  stop(): Promise<void>;
}

export const UI_ROOT = fileURLToPath(new URL('../ui/dist/kiosk', import.meta.url));

export interface StartOptions {
  readonly config: KioskConfig;
  readonly log: Logger;
  /** A detector already loaded (tests share one across kiosks: loading takes seconds). */
  readonly faceDetector?: FaceDetector;
  /**
   * The enrollment statechart failed (a bug). main.ts exits so systemd restarts the kiosk; a
   * test fails. Logged here first either way.
   */
  readonly onFatal: (err: unknown) => void;
}

export async function startKiosk({ config, log, faceDetector, onFatal }: StartOptions): Promise<RunningKiosk> {
  const dataDir = path.resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const keys = await loadOrCreateKioskKeys(dataDir);
  let centralPublicKey;
  if (config.sealing.centralPublicKey) {
    centralPublicKey = await loadCentralPublicKey(config.sealing.centralPublicKey);
  } else {
    log.warn({ dataDir }, 'no sealing.centralPublicKey in config: sealing to a DEV-ONLY central key kept in the data dir. Never run a real kiosk like this.');
    centralPublicKey = await createDevCentralKeys(dataDir);
  }
  const store = await openStore(path.join(dataDir, 'kiosk.db'));

  const { devices, sim } = await buildDevices(config, log);
  const detector = faceDetector ?? (await createFaceDetector());

  const submitStats: SubmitStats[] = [];
  // Recent problems staff must act on (a receipt that did not print), shown in /healthz.
  const alerts: StaffAlert[] = [];
  /** The printer problem staff were last alerted to, until the printer can print again. */
  let printerAlerted: string | undefined;
  const raise = (a: StaffAlert) => {
    // One alert per printer problem while it lasts: a receipt that did not print and the printer
    // watch report the same paper-out (each is still logged where it happens).
    if (a.device === 'printer') {
      if (a.status === printerAlerted) return;
      printerAlerted = a.status;
    }
    alerts.push(a);
    if (alerts.length > 20) alerts.shift();
  };
  // The printer is checked while idle, so a citizen hears of trouble before they start. (Its
  // reports come after a turn of the event loop, by when the runtime below exists.)
  let printerProblem: PrinterProblem | undefined;
  const printerWatch = watchPrinter(devices.printer, {
    checkEveryMs: config.flow.printerCheckMs,
    log,
    onChange: (problem) => {
      printerProblem = problem;
      if (problem) {
        log.warn({ alert: 'printer', problem }, 'the receipt printer cannot print: staff attention needed');
        raise({ at: new Date().toISOString(), device: 'printer', status: problem });
      } else {
        printerAlerted = undefined;
        log.info('the receipt printer can print again');
      }
      runtime.setPrinter(problem);
    },
  });
  const machine = provideServices({
    ...createDocumentService(devices.document),
    captureFinger: createFingerprintService(devices.fingerprint, { score: (img) => fingerprintQuality(img).score, similarity, sameFingerAt: SAME_FINGER_THRESHOLD }),
    faceSession: createFaceService(devices.camera, detector, { stallMs: 3000, log }),
    checkSignature,
    submit: createSubmitService({ store, keys, centralPublicKey, aead: config.sealing.aead, kioskId: config.kioskId, log }, (s) => submitStats.push(s)),
    printReceipt: createReceiptService(printerWatch.printer, config.kioskId, log, raise),
  });
  const runtime = createKioskRuntime(machine, config.flow, {
    onFatal: (err) => {
      log.fatal({ err }, 'the enrollment statechart failed');
      onFatal(err);
    },
  });

  const supervised: Array<[DeviceKind, SupervisorRef]> = [
    ['fingerprint', startSupervisor(devices.fingerprint)],
    ['document', startSupervisor(devices.document)],
    ['camera', startSupervisor(devices.camera)],
    ['printer', startSupervisor(devices.printer)],
    ['gpio', startSupervisor(devices.gpio)],
  ];
  const deviceStates = (): Partial<Record<DeviceKind, DeviceState>> => Object.fromEntries(supervised.map(([k, ref]) => [k, supervisedState(ref)]));
  const subscriptions = supervised.map(([kind, ref]) => {
    let last: DeviceState | undefined;
    return ref.subscribe(() => {
      const state = supervisedState(ref);
      if (state === last) return;
      last = state;
      log.info({ device: kind, state, detail: ref.getSnapshot().context.detail }, 'device state');
      runtime.setDevices({ [kind]: state });
    });
  });
  runtime.setDevices(deviceStates());
  const unwirePanel = wirePanel(devices.gpio, runtime, log, () => raise({ at: new Date().toISOString(), device: 'panel', status: 'tamper' }));
  const unwireHelpDesk = wireHelpDesk(runtime, { store, log, raise });

  const started = Date.now();
  const server: KioskServer = createKioskServer({
    runtime,
    uiRoot: UI_ROOT,
    log,
    preview: mjpegHandler(devices.camera),
    ...(sim ? { simApi: simApiHandler(sim) } : {}),
    health: async () => {
      const states = supervised.map(([kind, ref]) => {
        const s = ref.getSnapshot().context;
        return [kind, { state: supervisedState(ref), driver: s.device.status().driver, ...(s.detail ? { detail: s.detail } : {}) }] as const;
      });
      const required: DeviceKind[] = ['fingerprint', 'document', 'camera'];
      const down = states.filter(([k, v]) => required.includes(k) && v.state !== 'ready' && v.state !== 'busy');
      // Why not "ok", in words for operators: a required device down, or no receipts.
      const why = [...down.map(([k, v]) => `${k}: ${v.state}`), ...(printerProblem ? [`printer: ${printerProblem}`] : [])];
      const view = runtime.view();
      return {
        status: why.length === 0 ? 'ok' : 'degraded',
        why,
        version: pkg.version,
        kioskId: config.kioskId,
        uptimeS: Math.round((Date.now() - started) / 1000),
        screen: view.screen.name,
        helpWaiting: view.overlay?.name === 'help' || (view.screen.name === 'attract' && view.screen.staffCalled === true),
        devices: Object.fromEntries(states),
        outboxDepth: await store.outboxDepth(),
        enrollments: await store.countEnrollments(),
        alerts,
      };
    },
  });
  const { port } = await server.listen(config.server.port, config.server.host);
  const hostForUrl = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const url = `http://${hostForUrl}:${port}/`;

  return {
    url,
    port,
    runtime,
    store,
    dataDir,
    submitStats,
    async stop() {
      await server.close();
      for (const sub of subscriptions) sub.unsubscribe();
      unwirePanel();
      unwireHelpDesk();
      printerWatch.stop();
      runtime.stop();
      for (const [, ref] of supervised) ref.send({ type: 'STOP' });
      await Promise.all([devices.fingerprint.close(), devices.document.close(), devices.camera.close(), devices.printer.close(), devices.gpio.close()].map((p) => p.catch(() => undefined)));
      await store.close();
    },
  };
}
