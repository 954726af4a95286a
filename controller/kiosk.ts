import { access, mkdir } from 'node:fs/promises';
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
import { startSupervisor, supervisedState, type SupervisorRef } from './devices/supervisor';
import { createKioskRuntime, type KioskRuntime } from './enrollment/runtime';
import { provideServices } from './enrollment/services';
import { loadCentralPublicKey, loadOrCreateKioskKeys } from './packet/keys';
import { createKioskServer, type KioskServer } from './server/http';
import { simApiHandler } from './server/sim-api';
import { removeScreenUrlFile, writeScreenUrlFile } from './server/screen-url-file';
import { createDocumentService } from './services/document';
import { createFaceService } from './services/face';
import { createFingerprintService } from './services/fingerprint';
import { createReceiptService } from './services/receipt';
import { healthAlert, type HealthAlert, type StaffAlert } from './ops/alerts';
import { checkSignature } from './services/signature';
import { createSubmitService, type SubmitStats } from './services/submit';
import { openStore, type Store } from './store/store';
import { syncHealth } from './ops/sync-health';
import { setUpSync, type SyncSetup } from './sync/start';
import type { SyncLoop } from './sync/loop';
import pkg from '../package.json';
import type { DeviceKind, DeviceState } from '../domain/devices';
import { CENTRAL_PUBLIC_KEY_FILE } from './central/keys';

/**
 * The boot order, in one place (docs/architecture.md, after balena-supervisor): data dir → keys →
 * store → devices and their supervisors → the statechart with its services → the HTTP/ws server.
 * Tests, the benchmark and main.ts all start the kiosk through here.
 */

export interface RunningKiosk {
  /** `http://127.0.0.1:<port>/`: /healthz and the page (which, opened from here, is not the kiosk screen). */
  readonly url: string;
  /**
   * The kiosk screen's way in, with the secret made at this start (issue #11): what the launcher
   * opens, and what `simulate` and tests connect with. Never log it.
   */
  readonly screenUrl: string;
  /** Where the screen URL is written for the launcher. */
  readonly screenUrlFile: string;
  readonly port: number;
  readonly runtime: KioskRuntime;
  readonly store: Store;
  readonly dataDir: string;
  /** Per-enrollment figures from the submit service (for the benchmark). */
  readonly submitStats: SubmitStats[];
  /** The outbox sync loop, when `sync` is configured and usable (controller/sync/). */
  readonly sync: SyncLoop | null;
  stop(): Promise<void>;
}

export const UI_ROOT = fileURLToPath(new URL('../ui/dist/kiosk', import.meta.url));

const NO_CENTRAL_KEY =
  'no sealing.centralPublicKey in the config: this kiosk cannot seal enrollments for the centre, so it will not take biometrics. ' +
  "Set it to the path of the centre's X25519 public key (PEM); for development run `npm start` (which passes --dev).";

export type SealingKey = { readonly ok: true; readonly path: string; readonly dev: boolean } | { readonly ok: false; readonly message: string };

/**
 * Which central public key this kiosk seals to: the configured one; in explicit development mode
 * (`--dev`) and only then, the dev receiver's public key (made by `npm run central -- keys init`,
 * which `npm start` runs). Never a private key, never one made here.
 */
export async function resolveSealingKey(config: KioskConfig, opts: { readonly dev: boolean; readonly devCentralDir: string }): Promise<SealingKey> {
  if (config.sealing.centralPublicKey) return { ok: true, path: config.sealing.centralPublicKey, dev: false };
  if (!opts.dev) return { ok: false, message: NO_CENTRAL_KEY };
  const devKey = path.join(opts.devCentralDir, CENTRAL_PUBLIC_KEY_FILE);
  try {
    await access(devKey);
  } catch {
    return { ok: false, message: `development mode, but there is no dev receiver key at ${devKey}: run \`npm run central -- keys init --dir ${opts.devCentralDir}\` (npm start does).` };
  }
  return { ok: true, path: devKey, dev: true };
}

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
  /** Where to write the screen URL for the launcher (default `<dataDir>/screen-url`). */
  readonly screenUrlFile?: string;
}

export async function startKiosk({ config, log, faceDetector, onFatal, screenUrlFile }: StartOptions): Promise<RunningKiosk> {
  const dataDir = path.resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // An earlier start's screen URL (after a crash) must not be opened once this start listens.
  const screenFile = path.resolve(screenUrlFile ?? path.join(dataDir, 'screen-url'));
  await removeScreenUrlFile(screenFile);

  const keys = await loadOrCreateKioskKeys(dataDir);
  // A kiosk seals only to the centre's public key; it never makes or holds a central private
  // key (main.ts resolves the dev receiver's public key in explicit development mode).
  if (!config.sealing.centralPublicKey) throw new Error(NO_CENTRAL_KEY);
  const centralPublicKey = await loadCentralPublicKey(config.sealing.centralPublicKey);
  const store = await openStore(path.join(dataDir, 'kiosk.db'));
  // Sync drains the outbox in the background; a sync section that cannot be used leaves
  // enrollments waiting in the outbox and says why in /healthz, it does not stop the kiosk.
  const syncSetup: SyncSetup | null = config.sync ? await setUpSync(config.sync, { store, keys, kioskId: config.kioskId, log, softwareVersion: pkg.version }) : null;
  const sync = syncSetup?.ok ? syncSetup.loop : null;

  const { devices, sim } = await buildDevices(config, log);
  const detector = faceDetector ?? (await createFaceDetector());

  const submitStats: SubmitStats[] = [];
  // Recent problems staff must act on (a receipt that did not print), shown in /healthz: only
  // when, where and what, never whose (issue #11).
  const alerts: HealthAlert[] = [];
  const raise = (a: StaffAlert) => {
    alerts.push(healthAlert(a));
    if (alerts.length > 20) alerts.shift();
  };
  const machine = provideServices({
    ...createDocumentService(devices.document),
    captureFinger: createFingerprintService(devices.fingerprint, { score: (img) => fingerprintQuality(img).score, similarity, sameFingerAt: SAME_FINGER_THRESHOLD }),
    faceSession: createFaceService(devices.camera, detector, { stallMs: 3000, log }),
    checkSignature,
    submit: createSubmitService({ store, keys, centralPublicKey, aead: config.sealing.aead, kioskId: config.kioskId, log }, (s) => {
      submitStats.push(s);
      sync?.nudge(); // committed: send it now rather than at the next poll
    }),
    printReceipt: createReceiptService(devices.printer, config.kioskId, log, raise),
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
      return {
        status: down.length === 0 ? 'ok' : 'degraded',
        version: pkg.version,
        kioskId: config.kioskId,
        uptimeS: Math.round((Date.now() - started) / 1000),
        screen: runtime.view().screen.name,
        devices: Object.fromEntries(states),
        outboxDepth: await store.outboxDepth(),
        enrollments: await store.countEnrollments(),
        alerts,
        sync: syncHealth({
          summary: await store.outbox.summary(),
          status: sync?.status() ?? null,
          configured: config.sync ? { receiver: new URL(config.sync.url).host, problem: syncSetup?.ok === false ? syncSetup.problem : null } : null,
          now: Date.now(),
        }),
      };
    },
  });
  const { port, origin, screenUrl } = await server.listen(config.server.port, config.server.host);
  const url = `${origin}/`;
  await writeScreenUrlFile(screenFile, screenUrl);
  sync?.start();

  return {
    url,
    screenUrl,
    screenUrlFile: screenFile,
    port,
    runtime,
    store,
    dataDir,
    submitStats,
    sync,
    async stop() {
      await removeScreenUrlFile(screenFile).catch((err: unknown) => log.warn({ err }, 'could not remove the screen-url file'));
      await server.close();
      for (const sub of subscriptions) sub.unsubscribe();
      unwirePanel();
      runtime.stop();
      for (const [, ref] of supervised) ref.send({ type: 'STOP' });
      await Promise.all([devices.fingerprint.close(), devices.document.close(), devices.camera.close(), devices.printer.close(), devices.gpio.close()].map((p) => p.catch(() => undefined)));
      // Abort an upload in flight; whatever it did is re-sent after restart (same ack).
      await sync?.stop();
      await store.close();
    },
  };
}
