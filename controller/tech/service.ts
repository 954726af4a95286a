import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import type { SyncHealth } from '../ops/sync-health';
import type { JsonValue } from '../store/audit-chain';
import { AUDIT_KINDS } from '../store/audit-kinds';
import type { StorageHealth } from '../store/storage-check';
import type { Who } from './access';
import type { DeviceLedger } from './device-ledger';
import { runSelfTest, type SelfTestHooks, type SelfTestKit } from './self-test';
import { DEVICE_STATES, type DeviceKind, type DeviceState } from '../../domain/devices';
import type { Bilingual } from '../../domain/language';
import { TECH_DEVICE_KIND, TECH_DEVICES, type SelfTestResult, type ServiceState, type TechDevice, type TechStatus } from '../../domain/tech-channel/messages';

/**
 * The running kiosk as the technician sees it (issue #13): its devices with their history, its
 * storage, outbox and version; the out-of-service switch; and the self-tests. The service
 * screen and `kiosk diag` reach it through the tech channel (server/tech-channel.ts), after the
 * PIN.
 *
 * Self-tests run only while the technician has the kiosk out of service, never beside a
 * citizen: they use the very devices a session uses (a capture on the fingerprint reader, a read
 * on the scanner), so a test during a session would take the citizen's finger or card, and a
 * test on the start screen could be cut into by the next citizen. Taking the kiosk out of
 * service does not cut anyone off either: a citizen in a session finishes first (the statechart
 * holds the switch until then), and the page says so.
 */

const MiB = 2 ** 20;

export interface DeviceReport {
  readonly state: DeviceState;
  readonly driver: string;
  readonly detail?: string;
}

export interface TechServiceDeps {
  readonly kioskId: string;
  readonly version: string;
  readonly startedAt: number;
  readonly minFreeMiB: number;
  readonly runtime: Pick<KioskRuntime, 'view' | 'onView' | 'setMaintenance'>;
  /** Each device's supervised state now. */
  readonly devices: () => Readonly<Partial<Record<DeviceKind, DeviceReport>>>;
  readonly ledger: DeviceLedger;
  readonly kit: SelfTestKit;
  readonly storage: () => StorageHealth;
  readonly sync: () => Promise<SyncHealth>;
  /** Appends an audit row; never throws. */
  readonly audit: (kind: string, detail: JsonValue) => void;
  readonly log: Logger;
}

export type SelfTestAnswer = { readonly ok: true; readonly result: SelfTestResult } | { readonly ok: false; readonly code: 'not-allowed-now' | 'busy'; readonly message: Bilingual };

export interface TechService {
  status(): Promise<TechStatus>;
  serviceState(): ServiceState;
  /** The out-of-service switch (audited). */
  setOutOfService(on: boolean, who: Who): void;
  runSelfTest(device: TechDevice, who: Who, hooks?: SelfTestHooks): Promise<SelfTestAnswer>;
  /** Something the status shows changed (a device, the screen, a self-test). */
  onChange(listener: () => void): () => void;
  stop(): void;
}

const NOT_OUT_OF_SERVICE: Bilingual = {
  vi: 'Chỉ kiểm tra thiết bị khi ki-ốt đã ngừng phục vụ, để không lấy mất thiết bị của công dân đang làm hồ sơ. Bấm "Ngừng phục vụ" trước.',
  en: 'Devices are tested only while the kiosk is out of service, so a test never takes a device from a citizen. Press "Take out of service" first.',
};
const CITIZEN_STILL_THERE: Bilingual = {
  vi: 'Một công dân đang làm hồ sơ. Ki-ốt sẽ ngừng phục vụ khi họ làm xong; khi đó mới kiểm tra được thiết bị.',
  en: 'A citizen is still making an application. The kiosk goes out of service when they finish; the devices can be tested then.',
};
const ONE_AT_A_TIME: Bilingual = {
  vi: 'Đang chạy một bài kiểm tra khác. Chờ nó xong rồi bấm lại.',
  en: 'Another test is running. Wait for it to finish, then press again.',
};

const isDeviceState = (s: string): boolean => DEVICE_STATES.some((d) => d === s);

const whoDetail = (who: Who): Record<string, JsonValue> => ({ where: who.where, ...(who.address ? { address: who.address } : {}) });

export function createTechService(deps: TechServiceDeps): TechService {
  let maintenance = false;
  let running: TechDevice | undefined;
  /** Stops the test in progress: the kiosk going back in service takes its devices back. */
  let stopRunning: AbortController | undefined;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of [...listeners]) l();
  };
  const offLedger = deps.ledger.onChange(changed);
  let lastScreen = deps.runtime.view().screen.name;
  const offView = deps.runtime.onView((v) => {
    if (v.screen.name === lastScreen) return;
    lastScreen = v.screen.name;
    changed();
  });

  const serviceState = (): ServiceState => {
    const screen = deps.runtime.view().screen;
    if (maintenance) return screen.name === 'out-of-service' ? 'maintenance' : 'maintenance-pending';
    return screen.name === 'out-of-service' ? 'out-of-service' : 'in-service';
  };

  const whyNot = (): Bilingual | undefined => {
    const s = serviceState();
    if (s === 'maintenance') return running ? ONE_AT_A_TIME : undefined;
    return s === 'maintenance-pending' ? CITIZEN_STILL_THERE : NOT_OUT_OF_SERVICE;
  };

  return {
    serviceState,
    async status() {
      const devices = deps.devices();
      const disk = deps.storage();
      const sync = await deps.sync();
      const why = whyNot();
      return {
        at: new Date().toISOString(),
        kioskId: deps.kioskId,
        version: deps.version,
        uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
        citizenScreen: deps.runtime.view().screen.name,
        service: serviceState(),
        selfTests: { allowed: why === undefined, ...(why ? { why } : {}), ...(running ? { running } : {}) },
        devices: TECH_DEVICES.map((device) => {
          const kind = TECH_DEVICE_KIND[device];
          const d = devices[kind];
          const e = deps.ledger.entry(kind);
          return {
            device,
            kind,
            state: d?.state ?? 'disconnected',
            driver: d?.driver ?? 'none',
            ...(d?.detail ? { detail: d.detail } : {}),
            ...(e.since ? { since: e.since } : {}),
            ...(e.lastError ? { lastError: e.lastError } : {}),
            counters: e.counters,
            ...(e.lastSelfTest ? { lastSelfTest: e.lastSelfTest } : {}),
          };
        }),
        storage: {
          state: disk.ok ? 'ready' : 'fault',
          ...(disk.ok ? {} : { problem: disk.problem }),
          freeMiB: disk.freeBytes === undefined ? null : Math.floor(disk.freeBytes / MiB),
          minFreeMiB: deps.minFreeMiB,
          checkedAt: disk.checkedAt,
        },
        outbox: {
          pending: sync.pending,
          awaitingAck: sync.awaitingAck,
          acked: sync.acked,
          oldestPendingAgeS: sync.oldestPendingAgeS,
          syncState: sync.state,
          lastSyncAt: sync.lastSuccessAt,
          lastError: sync.lastError,
        },
      };
    },
    setOutOfService(on, who) {
      const was = maintenance;
      maintenance = on;
      if (!on) stopRunning?.abort();
      deps.runtime.setMaintenance(on);
      const state = serviceState();
      if (was !== on) {
        deps.log.warn({ tech: 'service', outOfService: on, where: who.where, state }, on ? 'a technician took the kiosk out of service' : 'a technician put the kiosk back in service');
      }
      deps.audit(AUDIT_KINDS.technician, { action: 'service', outOfService: on, state, ...whoDetail(who) });
      changed();
    },
    async runSelfTest(device, who, hooks = {}) {
      const why = whyNot();
      if (why) return { ok: false, code: running ? 'busy' : 'not-allowed-now', message: why };
      running = device;
      const stop = new AbortController();
      stopRunning = stop;
      const fromCaller = hooks.signal;
      const onCallerAbort = (): void => stop.abort();
      fromCaller?.addEventListener('abort', onCallerAbort);
      if (fromCaller?.aborted) stop.abort();
      changed();
      try {
        const result = await runSelfTest(device, deps.kit, { ...(hooks.prompt ? { prompt: hooks.prompt } : {}), signal: stop.signal });
        const kind = TECH_DEVICE_KIND[device];
        // A failed test's last error: the driver's words when it said more than its state.
        const said = result.detail !== undefined && !isDeviceState(result.detail) ? result.detail : undefined;
        if (result.ok) deps.ledger.noteSelfTest(kind, true);
        else deps.ledger.noteSelfTest(kind, false, `self-test: ${said ?? result.summary.en}`, result.summary);
        deps.audit(AUDIT_KINDS.technician, { action: 'self-test', device, ok: result.ok, ms: result.ms, ...whoDetail(who) });
        deps.log.info({ tech: 'self-test', device, ok: result.ok, ms: result.ms, detail: result.detail }, 'self-test');
        return { ok: true, result };
      } finally {
        fromCaller?.removeEventListener('abort', onCallerAbort);
        if (stopRunning === stop) stopRunning = undefined;
        running = undefined;
        changed();
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      offLedger();
      offView();
      listeners.clear();
    },
  };
}
