import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
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
import { REQUIRED_DEVICES } from './enrollment/context';
import { createKioskRuntime, type KioskRuntime } from './enrollment/runtime';
import { provideServices } from './enrollment/services';
import { loadCentralPublicKey, loadOrCreateKioskKeys } from './packet/keys';
import { createKioskServer, type KioskServer } from './server/http';
import { simApiHandler } from './server/sim-api';
import { removeScreenUrlFile, writeScreenUrlFile } from './server/screen-url-file';
import { createDocumentService } from './services/document';
import { createInvitationWatch } from './services/invitation';
import { loadTrustedInvitationKeys } from './invitations/sign';
import { createFaceService, createProofPhotoService } from './services/face';
import { createFingerprintService } from './services/fingerprint';
import { createReceiptService } from './services/receipt';
import { openAlertBook, type AlertedDevice, type StaffAlert } from './ops/alerts';
import { wireHelpDesk } from './ops/help-desk';
import { createKioskMetrics, type KioskMetrics } from './ops/metrics';
import { createSessionTracker } from './ops/session-events';
import { createConsoleLink } from './ops/console-link';
import { createOpsChannel } from './server/ops-channel';
import { checkSignature } from './services/signature';
import { createSubmitService, type SubmitStats } from './services/submit';
import { asJsonValue, type JsonValue } from './store/audit-chain';
import { AUDIT_KINDS } from './store/audit-kinds';
import { checkStorage, createStorageWatch, type StorageHealth, type StorageWatch } from './store/storage-check';
import { isStoreError, openStore, type Store } from './store/store';
import { outboxBacklog, syncHealth } from './ops/sync-health';
import { purgeExpired, retentionMs } from './sync/purge';
import { setUpSync, type SyncSetup } from './sync/start';
import type { SyncLoop } from './sync/loop';
import pkg from '../package.json';
import type { DeviceKind, DeviceState } from '../domain/devices';
import { CENTRAL_PUBLIC_KEY_FILE } from './central/keys';
import type { PrinterProblem } from '../domain/kiosk-channel/view-model';
import { PACKAGE_ROOT } from '../domain/package-root';
import { startTech, type RunningTech } from './tech/start';

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
  /** Per-enrollment figures from the submit service (for the benchmark): the last SUBMIT_STATS_KEPT. */
  readonly submitStats: SubmitStats[];
  /** The outbox sync loop, when `sync` is configured and usable (controller/sync/). */
  readonly sync: SyncLoop | null;
  /** The technician's service screen (controller/tech/): where the network reaches it, the local token file. */
  readonly tech: { readonly networkUrl: string | null; readonly tokenFile: string };
  stop(): Promise<void>;
}

/**
 * The kiosk cannot start, for a reason a technician must fix; main.ts prints the message and
 * exits with the code (sysexits.h): 65 the database is corrupt (kept aside), 74 the data
 * directory cannot be written. systemd does not restart on 65 (RestartPreventExitStatus).
 */
export class StartError extends Error {
  override readonly name = 'StartError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT_CORRUPT_DB = 65;
export const EXIT_STORAGE = 74;
const MiB = 2 ** 20;
/** How often acked packets past their retention are purged when no sync loop runs (it purges after each pass). */
const PURGE_EVERY_MS = 10 * 60 * 1000;

export const UI_ROOT = path.join(PACKAGE_ROOT, 'ui', 'dist', 'kiosk');
/** The technician's service screen (ui/tech/), built beside the kiosk page. */
export const TECH_UI_ROOT = path.join(PACKAGE_ROOT, 'ui', 'dist', 'tech');

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

const SUBMIT_STATS_KEPT = 1_000;

export async function startKiosk({ config, log, faceDetector, onFatal, screenUrlFile }: StartOptions): Promise<RunningKiosk> {
  const dataDir = path.resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
    throw new StartError(`cannot create the data directory ${dataDir}: ${String(err)}`, EXIT_STORAGE);
  });
  // A data directory that cannot be written is no place to take a citizen's biometrics (issue
  // #12): say so now, in words a technician can act on. A full one still starts, out of service.
  const minFreeBytes = config.storage.minFreeMiB * MiB;
  const atStart = await checkStorage(dataDir, { minFreeBytes });
  if (!atStart.ok && atStart.problem !== 'full' && atStart.problem !== 'low-space') {
    throw new StartError(`cannot start: ${atStart.message}`, EXIT_STORAGE);
  }
  // An earlier start's screen URL (after a crash) must not be opened once this start listens.
  const screenFile = path.resolve(screenUrlFile ?? path.join(dataDir, 'screen-url'));
  await removeScreenUrlFile(screenFile);

  const keys = await loadOrCreateKioskKeys(dataDir);
  // A kiosk seals only to the centre's public key; it never makes or holds a central private
  // key (main.ts resolves the dev receiver's public key in explicit development mode).
  if (!config.sealing.centralPublicKey) throw new Error(NO_CENTRAL_KEY);
  const centralPublicKey = await loadCentralPublicKey(config.sealing.centralPublicKey);
  // The police stations' invitation keys: a key file that cannot be read stops the start, naming it.
  const trustedInvitationKeys = await loadTrustedInvitationKeys(config.invitations.publicKeys);
  const store = await openStore(path.join(dataDir, 'kiosk.db'), { checkAtOpen: config.storage.checkAtStart }).catch((err: unknown) => {
    if (isStoreError(err, 'corrupt')) throw new StartError(`cannot start: ${err.message}`, EXIT_CORRUPT_DB);
    if (isStoreError(err, 'io')) throw new StartError(`cannot start: ${err.message}${atStart.ok ? '' : `; ${atStart.message}`}`, EXIT_STORAGE);
    throw err;
  });
  /** An audit entry for something that happened; a failure to write it is logged, never thrown. */
  const audit = (kind: string, detail: JsonValue): void => {
    store.appendAudit(kind, detail).catch((err: unknown) => log.warn({ err, kind }, 'audit entry not written'));
  };
  // The config this start runs with, and what changed since the last start (issue #12).
  await store
    .recordConfig(asJsonValue(withoutSecrets(config)), { software: `${pkg.name} ${pkg.version}` })
    .then((c) => log.info({ configSha256: c.sha256, changed: c.changed.map((x) => x.path) }, 'config recorded in the audit chain'))
    .catch((err: unknown) => log.warn({ err }, 'config not recorded in the audit chain'));
  const alertBook = await openAlertBook(store, log);
  // Sync drains the outbox in the background; a sync section that cannot be used leaves
  // enrollments waiting in the outbox and says why in /healthz, it does not stop the kiosk.
  // A section without a url is a kit that sends on hand-carried media only: no loop.
  const syncSetup: SyncSetup | null = config.sync?.url ? await setUpSync(config.sync, { store, keys, kioskId: config.kioskId, log, softwareVersion: pkg.version }) : null;
  const sync = syncSetup?.ok ? syncSetup.loop : null;

  const { devices, sim } = await buildDevices(config, log);
  const detector = faceDetector ?? (await createFaceDetector());

  const submitStats: SubmitStats[] = [];
  // Recent problems staff must act on (a receipt that did not print), shown in /healthz: only
  // when, where and what, never whose (issue #11); kept across restarts (issue #12).
  /** The printer problem staff were last alerted to, until the printer can print again. */
  let printerAlerted: string | undefined;
  const raise = (a: StaffAlert) => {
    // One alert per printer problem while it lasts: a receipt that did not print and the printer
    // watch report the same paper-out (each is still logged where it happens).
    if (a.device === 'printer') {
      if (a.status === printerAlerted) return;
      printerAlerted = a.status;
    }
    alertBook.raise(a);
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
  const submit = createSubmitService({ store, keys, centralPublicKey, aead: config.sealing.aead, kioskId: config.kioskId, log }, (s) => {
    submitStats.push(s);
    // The newest figures only: a kiosk runs for months (docs/memory.md).
    if (submitStats.length > SUBMIT_STATS_KEPT) submitStats.shift();
    sync?.nudge(); // committed: send it now rather than at the next poll
  });
  // Set once the storage watch exists (below); a failed commit makes it look at the disk at once.
  let storage: StorageWatch | undefined;
  const machine = provideServices({
    ...createDocumentService(devices.document),
    watchInvitations: createInvitationWatch(devices.document, { trusted: trustedInvitationKeys, used: (id) => store.invitationUsed(id), audit, log }),
    captureFinger: createFingerprintService(devices.fingerprint, { score: (img) => fingerprintQuality(img).score, similarity, sameFingerAt: SAME_FINGER_THRESHOLD }),
    takeProofPhoto: createProofPhotoService(devices.camera, log),
    // A stopped camera is the camera driver's own verdict (its frame watchdog), not a timer here.
    faceSession: createFaceService(devices.camera, detector, { log }),
    checkSignature,
    submit: async (input) => {
      try {
        return await submit(input);
      } catch (err) {
        void storage?.check().catch(() => undefined);
        throw err;
      }
    },
    printReceipt: createReceiptService(printerWatch.printer, config.kioskId, log, raise),
  });
  const runtime = createKioskRuntime(machine, config.flow, {
    onFatal: (err) => {
      log.fatal({ err }, 'the enrollment statechart failed');
      onFatal(err);
    },
  });

  // Counted from what happens (metrics.ts); the gauges read their owners at scrape time. Storage
  // and health are only there further down, hence the late-bound sources.
  let canServe = (): boolean => true;
  let diskFree = (): number | undefined => undefined;
  const metrics: KioskMetrics = createKioskMetrics(
    {
      devices: () => deviceStates(),
      outbox: async () => outboxBacklog(await store.outbox.summary(), Date.now()),
      sync: () => sync?.status() ?? null,
      diskFreeBytes: () => diskFree(),
      canServe: () => canServe(),
      helpWaitingSeconds: () => {
        const since = tracker.helpWaitingSince();
        return since === undefined ? 0 : (Date.now() - since) / 1000;
      },
      thermalZone: config.ops.thermalZone,
      faceModel: () => detector.memory?.(),
    },
    { kioskId: config.kioskId, version: pkg.version },
  );
  const tracker = createSessionTracker();
  const offMetricsView = runtime.onView((view) => {
    for (const e of tracker.observe(view, Date.now())) metrics.session(e);
  });
  const offMetricsNotice = runtime.onNotice((n) => {
    if (n.type === 'help-requested') metrics.helpRequested(n.source);
  });
  /** When the enclosure was last opened, this run: health stays degraded until a restart (or a technician's all-clear). */
  let tamperedAt: string | undefined;

  // The technician's service screen (issue #13): its ledger hears every device change below.
  const started = Date.now();
  const tech: RunningTech = startTech({
    config,
    version: pkg.version,
    startedAt: started,
    runtime,
    devices,
    printer: printerWatch.printer,
    detector: async () => detector,
    ...(sim ? { sim } : {}),
    deviceReports: () =>
      Object.fromEntries(
        supervised.map(([k, ref]) => {
          const detail = ref.getSnapshot().context.detail;
          return [k, { state: supervisedState(ref), driver: ref.getSnapshot().context.device.status().driver, ...(detail ? { detail } : {}) }];
        }),
      ),
    storage: () => watch.current(),
    sync: () => syncNow(),
    audit,
    log,
  });
  const supervised: Array<[DeviceKind, SupervisorRef]> = [
    ['fingerprint', startSupervisor(devices.fingerprint)],
    ['document', startSupervisor(devices.document)],
    ['camera', startSupervisor(devices.camera)],
    ['printer', startSupervisor(devices.printer)],
    ['gpio', startSupervisor(devices.gpio)],
  ];
  const ALERTED_DEVICES: Partial<Record<DeviceKind, AlertedDevice>> = { fingerprint: 'fingerprint', document: 'document', camera: 'camera', gpio: 'panel' };
  const deviceStates = (): Partial<Record<DeviceKind, DeviceState>> => Object.fromEntries(supervised.map(([k, ref]) => [k, supervisedState(ref)]));
  const subscriptions = supervised.map(([kind, ref]) => {
    let last: DeviceState | undefined;
    // Working since the last report of it stopping: a pulled cable goes ready → connecting →
    // disconnected, and is one stop, reported once.
    let workedSinceReport = false;
    return ref.subscribe(() => {
      const state = supervisedState(ref);
      if (state === last) return;
      const was = last;
      last = state;
      const detail = ref.getSnapshot().context.detail;
      log.info({ device: kind, state, detail }, 'device state');
      metrics.deviceChanged(kind, was, state);
      tech.ledger.noteState(kind, state, detail);
      runtime.setDevices({ [kind]: state });
      if (state === 'ready' || state === 'busy') workedSinceReport = true;
      // A device that was working and stopped: into the audit chain (issue #12).
      if (workedSinceReport && (state === 'fault' || state === 'disconnected')) {
        workedSinceReport = false;
        audit(AUDIT_KINDS.deviceFault, { device: kind, state, detail: detail ?? null });
        // The citizen's screen says staff have been told (the printer watch tells of the printer).
        const device = ALERTED_DEVICES[kind];
        if (device) {
          log.warn({ alert: 'device', device, state }, 'a device stopped working: staff attention needed');
          raise({ at: new Date().toISOString(), device, status: state });
        }
      }
    });
  });

  // The data directory as the `storage` pseudo-device: out of service before a session starts
  // when the disk is full or read-only (issue #12).
  const storageCheck = () => checkStorage(dataDir, { minFreeBytes, reclaimable: () => store.reclaimableBytes() });
  const reportStorage = (h: StorageHealth): void => {
    runtime.setDevices({ storage: h.ok ? 'ready' : 'fault' });
    const freeMiB = h.freeBytes === undefined ? null : Math.floor(h.freeBytes / MiB);
    if (h.ok) {
      log.info({ freeMiB }, 'storage: the data directory takes writes again');
      audit(AUDIT_KINDS.storage, { state: 'ready', freeMiB });
      return;
    }
    log.error({ problem: h.problem, freeMiB }, `storage: ${h.message}; out of service until it is fixed`);
    raise({ at: h.checkedAt, device: 'storage', status: h.problem });
    audit(AUDIT_KINDS.storage, { state: 'fault', problem: h.problem, freeMiB });
  };
  const initialStorage = await storageCheck();
  storage = createStorageWatch({ initial: initialStorage, check: storageCheck, intervalMs: config.storage.checkIntervalMs, onChange: reportStorage });
  const watch = storage;
  // The devices and the storage in one report: no moment with devices ready and storage unknown.
  runtime.setDevices({ ...deviceStates(), storage: initialStorage.ok ? 'ready' : 'fault' });
  if (!initialStorage.ok) reportStorage(initialStorage);

  // A session that ends before its receipt: the screen it was left on (no one's data).
  let lastView = runtime.view();
  const offAbandonWatch = runtime.onView((view) => {
    if (view.screen.name === 'abandoned' && lastView.screen.name !== 'abandoned') {
      audit(AUDIT_KINDS.abandon, { from: lastView.screen.name, step: lastView.step ?? null, timedOut: lastView.overlay?.name === 'timeout-prompt' });
    }
    lastView = view;
  });
  // The enclosure opened: the session (if any) has ended, wiped, and the kiosk is out of service
  // until it is shut (the statechart); staff are alerted and the audit chain says so.
  const unwirePanel = wirePanel(devices.gpio, runtime, log, ({ sessionEnded, screen }) => {
    const at = new Date().toISOString();
    tamperedAt = at;
    metrics.tamper();
    raise({ at, device: 'panel', status: 'tamper' });
    audit(AUDIT_KINDS.tamper, { device: 'panel', sessionEnded, screen });
  });
  const unwireHelpDesk = wireHelpDesk(runtime, { store, log, raise });
  // The hall officer's console (issue #14): the kiosk's ops channel, closed without a console token.
  const consoleLink = createConsoleLink({
    kioskId: config.kioskId,
    version: pkg.version,
    runtime,
    heartbeatMs: config.ops.heartbeatMs,
    devices: () => ({ ...deviceStates(), storage: watch.current().ok ? 'ready' : 'fault' }),
    outbox: async () => {
      const h = syncHealth({ summary: await store.outbox.summary(), status: null, configured: null, now: Date.now() });
      return { pending: h.pending, oldestPendingAgeS: h.oldestPendingAgeS };
    },
    technicianOut: () => tech.serviceState() === 'maintenance',
    helpWaitMs: config.flow.helpWaitMs,
    audit,
    log,
  });
  const opsChannel = createOpsChannel({ link: consoleLink, token: config.ops.consoleToken, kioskId: config.kioskId, version: pkg.version, audit, log });

  const syncNow = async () =>
    syncHealth({
      summary: await store.outbox.summary(),
      status: sync?.status() ?? null,
      configured: config.sync?.url ? { receiver: new URL(config.sync.url).host, problem: syncSetup?.ok === false ? syncSetup.problem : null } : null,
      now: Date.now(),
    });
  const server: KioskServer = createKioskServer({
    runtime: checkStorageBeforeStart(runtime, watch, log),
    uiRoot: UI_ROOT,
    log,
    preview: mjpegHandler(devices.camera),
    ...(sim ? { simApi: simApiHandler(sim) } : {}),
    metrics: { render: () => metrics.render(), contentType: metrics.contentType, ...(config.ops.token ? { token: config.ops.token } : {}) },
    tech: { channel: tech.channel, uiRoot: TECH_UI_ROOT },
    ops: opsChannel,
    health: async () => {
      const states = supervised.map(([kind, ref]) => {
        const s = ref.getSnapshot().context;
        return [kind, { state: supervisedState(ref), driver: s.device.status().driver, ...(s.detail ? { detail: s.detail } : {}) }] as const;
      });
      const down = states.filter(([k, v]) => REQUIRED_DEVICES.includes(k) && v.state !== 'ready' && v.state !== 'busy');
      const disk = watch.current();
      const service = tech.serviceState();
      const view = runtime.view();
      const officerService = (await consoleLink.status()).service;
      // Why not "ok", in words for operators: a required device down, no receipts, no room, an
      // opened enclosure, out of service.
      const why = [
        ...down.map(([k, v]) => `${k}: ${v.state}`),
        ...(printerProblem ? [`printer: ${printerProblem}`] : []),
        ...(disk.ok ? [] : [`storage: ${disk.problem}`]),
        ...(tamperedAt ? [`tamper: the enclosure was opened at ${tamperedAt}`] : []),
        ...(service === 'maintenance' || service === 'maintenance-pending' ? [`service: ${service} (a technician took the kiosk out of service)`] : []),
        ...(officerService.officer ? [`service: an officer (${officerService.officer}) took the kiosk out of service from the ops console`] : []),
      ];
      // /healthz answers 503 when the kiosk cannot serve (canServe, below: the metrics' gauge too).
      const serving = canServe();
      // Sync first, the outbox depth after: acks only add up, so a report that counts an ack
      // never shows its packet still waiting (an ack stored between two queries).
      const syncReport = await syncNow();
      return {
        status: why.length === 0 ? 'ok' : 'degraded',
        serving,
        why,
        version: pkg.version,
        kioskId: config.kioskId,
        uptimeS: Math.round((Date.now() - started) / 1000),
        screen: view.screen.name,
        // in-service · maintenance (a technician took it out) · maintenance-pending · out-of-service
        service,
        helpWaiting: view.overlay?.name === 'help' || (view.screen.name === 'attract' && view.screen.staffCalled === true),
        devices: Object.fromEntries(states),
        outboxDepth: await store.outboxDepth(),
        enrollments: await store.countEnrollments(),
        alerts: alertBook.recent(),
        storage: {
          state: disk.ok ? 'ready' : 'fault',
          ...(disk.ok ? {} : { problem: disk.problem }),
          freeMiB: disk.freeBytes === undefined ? null : Math.floor(disk.freeBytes / MiB),
          minFreeMiB: config.storage.minFreeMiB,
          checkedAt: disk.checkedAt,
        },
        sync: syncReport,
      };
    },
  });
  let purgeTimer: ReturnType<typeof setInterval> | undefined;
  const stop = async (): Promise<void> => {
    await removeScreenUrlFile(screenFile).catch((err: unknown) => log.warn({ err }, 'could not remove the screen-url file'));
    await tech.stop();
    opsChannel.close();
    consoleLink.stop();
    await server.close();
    for (const sub of subscriptions) sub.unsubscribe();
    watch.stop();
    offAbandonWatch();
    offMetricsView();
    offMetricsNotice();
    unwirePanel();
    unwireHelpDesk();
    printerWatch.stop();
    runtime.stop();
    for (const [, ref] of supervised) ref.send({ type: 'STOP' });
    await Promise.all([devices.fingerprint.close(), devices.document.close(), devices.camera.close(), devices.printer.close(), devices.gpio.close()].map((p) => p.catch(() => undefined)));
    clearInterval(purgeTimer);
    // Abort an upload in flight; whatever it did is re-sent after restart (same ack).
    await sync?.stop();
    await store.close();
  };
  // Can a citizen be served now? Not with a required device or the disk down, nor while out of
  // service (a printer out of paper still serves: the receipt is on the screen). One answer for
  // /healthz's `serving` (503) and the metrics' kiosk_serving gauge.
  canServe = () => {
    const states = deviceStates();
    return REQUIRED_DEVICES.every((k) => states[k] === 'ready' || states[k] === 'busy') && watch.current().ok && runtime.view().screen.name !== 'out-of-service';
  };
  diskFree = () => watch.current().freeBytes;
  const { port, origin, screenUrl } = await server.listen(config.server.port, config.server.host);
  const url = `${origin}/`;
  try {
    await writeScreenUrlFile(screenFile, screenUrl);
  } catch (err) {
    // Without it the launcher cannot open the screen (a disk full to the last byte, a read-only one).
    await stop().catch(() => undefined);
    throw new StartError(`cannot start: cannot write the screen URL file ${screenFile} (${errnoText(err)}); ${initialStorage.ok ? 'check that directory' : initialStorage.message}`, EXIT_STORAGE);
  }
  try {
    await tech.listen(origin, dataDir, TECH_UI_ROOT);
  } catch (err) {
    // The token file, like the screen URL file: a data directory that cannot take it.
    await stop().catch(() => undefined);
    throw new StartError(`cannot start: cannot write the technician's token file in ${dataDir} (${errnoText(err)}); ${initialStorage.ok ? 'check that directory' : initialStorage.message}`, EXIT_STORAGE);
  }
  sync?.start();
  // Without a running loop (a kit on media only, or sync off) acks still arrive (packets
  // import-acks): their packets are purged here after the retention period, by the same path.
  purgeTimer =
    sync === null
      ? setInterval(() => {
          purgeExpired(store.outbox, retentionMs(config.sync), new Date()).then(
            (ids) => {
              if (ids.length > 0) log.info({ purged: ids.length }, 'sealed packets purged after their acknowledgement and retention period');
            },
            (err: unknown) => log.warn({ err }, 'purge of acknowledged packets failed; it is tried again later'),
          );
        }, PURGE_EVERY_MS)
      : undefined;
  purgeTimer?.unref();

  return { url, screenUrl, screenUrlFile: screenFile, port, runtime, store, dataDir, submitStats, sync, tech: { networkUrl: tech.networkUrl(), tokenFile: tech.tokenFile() }, stop };
}

/** The config as the audit chain records it: the PIN's hash and the tokens are named by a digest of them (a change still shows). */
function withoutSecrets(config: KioskConfig): KioskConfig {
  const named = (secret: string): string => `set (sha256 ${createHash('sha256').update(secret).digest('hex').slice(0, 12)})`;
  const { pinHash } = config.tech;
  const { token, consoleToken } = config.ops;
  // The operators' tokens too (issue #14): a change still shows, the token does not.
  return {
    ...config,
    tech: { ...config.tech, ...(pinHash !== undefined ? { pinHash: named(pinHash) } : {}) },
    ops: { ...config.ops, ...(token !== undefined ? { token: named(token) } : {}), ...(consoleToken !== undefined ? { consoleToken: named(consoleToken) } : {}) },
  };
}

function errnoText(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : String(err);
}

/**
 * The runtime as the screen drives it, with one check added: before a session starts (START),
 * the data directory takes a write probe and has room (issue #12: out of service before any
 * biometric is taken). START goes to the statechart only once the probe passed; when it fails
 * the storage watch reports the fault and the statechart goes out of service instead.
 */
function checkStorageBeforeStart(runtime: KioskRuntime, storage: StorageWatch, log: Logger): KioskRuntime {
  return {
    ...runtime,
    send(intent) {
      if (intent.type !== 'START') return runtime.send(intent);
      // START is taken on these screens only (machine.ts); anywhere else refuse as the runtime would.
      const screen = runtime.view().screen.name;
      if (screen !== 'attract' && screen !== 'abandoned') return runtime.send(intent);
      storage.check().then(
        (h) => {
          if (!h.ok) {
            log.warn({ problem: h.problem }, 'session not started: the data directory cannot take it');
            return;
          }
          const r = runtime.send(intent);
          if (!r.ok) log.debug({ screen: runtime.view().screen.name }, 'START no longer possible after the storage check');
        },
        (err: unknown) => log.error({ err }, 'storage check failed; session not started'),
      );
      return { ok: true };
    },
  };
}
