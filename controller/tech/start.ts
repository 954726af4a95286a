import path from 'node:path';
import type { Logger } from 'pino';
import type { DeviceSet, ReceiptPrinter } from '../../drivers/types';
import type { FaceDetector } from '../capture/face-detector';
import type { KioskConfig } from '../config/schema';
import type { SimControls } from '../devices/sim-controls';
import type { KioskRuntime } from '../enrollment/runtime';
import type { SyncHealth } from '../ops/sync-health';
import { createTechChannel, type TechChannel } from '../server/tech-channel';
import { createTechServer, type TechServer } from '../server/tech-server';
import type { JsonValue } from '../store/audit-chain';
import { AUDIT_KINDS } from '../store/audit-kinds';
import type { StorageHealth } from '../store/storage-check';
import { createTechAccess } from './access';
import { createDeviceLedger, type DeviceLedger } from './device-ledger';
import { panelTesterOf } from './panel-tester';
import { SELF_TEST_WAITS } from './self-test';
import { createTechService, type DeviceReport } from './service';
import { newTechToken, removeTechTokenFile, TECH_TOKEN_FILE, writeTechTokenFile } from './token-file';
import type { DeviceKind } from '../../domain/devices';
import type { ServiceState } from '../../domain/tech-channel/messages';
import { urlHost } from '../server/listen';

/**
 * The technician's side of the kiosk, wired in one place for kiosk.ts (issue #13): the device
 * ledger, the PIN check, the service (status, out-of-service switch, self-tests) and the tech
 * channel; once the kiosk's server listens, the local token file and, when `tech.listen` is
 * set, the listener for the network.
 */

export interface TechStartDeps {
  readonly config: KioskConfig;
  readonly version: string;
  readonly startedAt: number;
  readonly runtime: KioskRuntime;
  readonly devices: DeviceSet;
  /** The printer as the kiosk prints through it (the printer watch hears the test page). */
  readonly printer: ReceiptPrinter;
  /** The face detector, for the camera's test (the kiosk's own, already loaded). */
  readonly detector: () => Promise<FaceDetector>;
  readonly sim?: SimControls;
  readonly deviceReports: () => Readonly<Partial<Record<DeviceKind, DeviceReport>>>;
  readonly storage: () => StorageHealth;
  readonly sync: () => Promise<SyncHealth>;
  readonly audit: (kind: string, detail: JsonValue) => void;
  readonly log: Logger;
}

export interface RunningTech {
  readonly ledger: DeviceLedger;
  readonly channel: TechChannel;
  /** Whether the kiosk serves citizens, and if not whether a technician took it out (for /healthz). */
  serviceState(): ServiceState;
  /**
   * After the kiosk's server listens at `origin`: write the token file (a failure is thrown: the
   * data directory cannot be written) and open the network listener (a failure is logged: the
   * kiosk's own screen still reaches the service screen).
   */
  listen(origin: string, dataDir: string, uiRoot: string): Promise<void>;
  networkUrl(): string | null;
  tokenFile(): string;
  stop(): Promise<void>;
}

export function startTech(deps: TechStartDeps): RunningTech {
  const { config, log } = deps;
  const ledger = createDeviceLedger();
  const panel = panelTesterOf(deps.devices.gpio);
  const token = newTechToken();
  const access = createTechAccess({ config: config.tech, token, audit: (d) => deps.audit(AUDIT_KINDS.techUnlock, d) });
  const service = createTechService({
    kioskId: config.kioskId,
    version: deps.version,
    startedAt: deps.startedAt,
    minFreeMiB: config.storage.minFreeMiB,
    runtime: deps.runtime,
    devices: deps.deviceReports,
    ledger,
    kit: {
      fingerprint: deps.devices.fingerprint,
      scanner: deps.devices.document,
      camera: deps.devices.camera,
      printer: deps.printer,
      panel,
      detector: deps.detector,
      kioskId: config.kioskId,
      fingerThreshold: config.flow.fingerQualityThreshold,
      waits: { ...SELF_TEST_WAITS, fingerMs: config.flow.fingerWaitMs },
      ...(deps.sim ? { sim: deps.sim } : {}),
    },
    storage: deps.storage,
    sync: deps.sync,
    audit: deps.audit,
    log: log.child({ part: 'tech' }),
  });
  const channel = createTechChannel({ service, access, idleLockMs: config.tech.idleLockMs, log: log.child({ part: 'tech' }) });
  if (config.tech.pinHash === undefined) {
    log.warn('no technician PIN in the config (tech.pinHash): the service screen stays locked; set one with `npm run kiosk -- tech set-pin`');
  }

  let server: TechServer | undefined;
  let networkUrl: string | null = null;
  let tokenFile = '';
  return {
    ledger,
    channel,
    serviceState: () => service.serviceState(),
    async listen(origin, dataDir, uiRoot) {
      tokenFile = path.join(dataDir, TECH_TOKEN_FILE);
      await writeTechTokenFile(tokenFile, { url: origin, token });
      const at = config.tech.listen;
      if (!at) return;
      const s = createTechServer({ channel, uiRoot, log: log.child({ part: 'tech' }) });
      try {
        const bound = await s.listen(at.port, at.host);
        server = s;
        const everywhere = at.host === '0.0.0.0' || at.host === '::';
        // On every address: this machine's loopback one names it here; a laptop uses the kiosk's own.
        const shown = everywhere ? '127.0.0.1' : urlHost(at.host);
        networkUrl = `http://${shown}:${bound.port}/`;
        log.info({ host: at.host, port: bound.port }, `the service screen is open to the network (after the PIN) on ${everywhere ? "every address of this kiosk" : at.host}, port ${bound.port}`);
      } catch (err) {
        log.error({ err, host: at.host, port: at.port }, 'the service screen could not listen for the network (tech.listen); it is still reachable on the kiosk itself');
      }
    },
    networkUrl: () => networkUrl,
    tokenFile: () => tokenFile,
    async stop() {
      if (tokenFile) await removeTechTokenFile(tokenFile).catch((err: unknown) => log.warn({ err }, 'could not remove the tech token file'));
      // The sockets first: a server does not finish closing while an upgraded socket is open.
      channel.close();
      await server?.close();
      access.stop();
      service.stop();
      panel.stop();
    },
  };
}
