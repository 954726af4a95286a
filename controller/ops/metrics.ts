import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import { DEVICE_STATES } from '../../domain/devices';
import type { SessionEvent } from './session-events';

/**
 * The kiosk's Prometheus metrics (GET /metrics, issue #14): what a province's operators graph
 * and alert on (config/prometheus/). Counters and histograms are fed with the session's events
 * (session-events.ts), device changes and help requests as they happen; gauges that are cheap
 * to read (outbox, disk, devices, CPU temperature) are read at scrape time from the parts that
 * own them, so they are never stale. Its own registry, never prom-client's global one, so two
 * kiosks in one process (tests, the fleet simulator) do not share counts.
 *
 * Names: `cccd_` prefix, base units (seconds, bytes), `_total` on counters; labels only from
 * small fixed sets (steps, devices, checks), never a citizen's anything.
 */

export interface MetricsSources {
  /** The devices' states now. */
  devices(): Partial<Record<DeviceKind, DeviceState>>;
  outbox(): Promise<{ readonly pending: number; readonly oldestPendingAgeS: number | null }>;
  sync(): { readonly consecutiveFailures: number; readonly failuresThisRun: number; readonly lastSuccessAt: string | null } | null;
  /** Free bytes in the data directory, as the storage watch last saw them. */
  diskFreeBytes(): number | undefined;
  /** How long the help screen has been showing now, in seconds (0 when it is not). */
  helpWaitingSeconds(): number;
  /** Whether the kiosk can take a citizen now (health's status), with the reasons when not. */
  canServe(): boolean;
  /** Where the CPU temperature is (Linux thermal zone, millidegrees); absent off a Pi. */
  readonly thermalZone?: string;
  /** The face model's tensors and wasm heap (docs/memory.md). */
  faceModel?(): { readonly numTensors: number; readonly wasmHeapBytes: number } | undefined;
}

export interface KioskMetrics {
  readonly registry: Registry;
  session(event: SessionEvent): void;
  helpRequested(source: string): void;
  deviceChanged(device: DeviceKind, from: DeviceState | undefined, to: DeviceState): void;
  tamper(): void;
  render(): Promise<string>;
  readonly contentType: string;
}

/** Seconds a citizen spends on one step: from a quick confirm to a long struggle with fingers. */
const STEP_BUCKETS = [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];
const SESSION_BUCKETS = [60, 90, 120, 150, 180, 240, 300, 420, 600, 900];
const HELP_BUCKETS = [15, 30, 60, 120, 180, 300, 600, 900, 1800];

export function createKioskMetrics(sources: MetricsSources, info: { readonly kioskId: string; readonly version: string }): KioskMetrics {
  const registry = new Registry();
  /** Devices that went down and have not been ready since. */
  const wasDown = new Set<DeviceKind>();
  collectDefaultMetrics({ register: registry });

  new Gauge({ name: 'cccd_kiosk_info', help: 'Which kiosk and software version this is (always 1).', labelNames: ['kiosk_id', 'version'], registers: [registry] }).set(
    { kiosk_id: info.kioskId, version: info.version },
    1,
  );
  new Gauge({
    name: 'cccd_up',
    help: 'Whether the kiosk can take a citizen now (1) or not (0: a required device down, storage full, out of service); /healthz says why.',
    registers: [registry],
    collect() {
      this.set(sources.canServe() ? 1 : 0);
    },
  });
  const completed = new Counter({ name: 'cccd_enrollments_completed_total', help: 'Sessions that reached the receipt (committed).', registers: [registry] });
  const abandoned = new Counter({ name: 'cccd_enrollments_abandoned_total', help: 'Sessions that ended before their receipt, by the step they were left on.', labelNames: ['step'], registers: [registry] });
  const stepSeconds = new Histogram({ name: 'cccd_step_duration_seconds', help: 'Time a citizen spent on one step, per visit.', labelNames: ['step'], buckets: STEP_BUCKETS, registers: [registry] });
  const sessionSeconds = new Histogram({ name: 'cccd_session_duration_seconds', help: 'Whole sessions, from the language screen to the receipt or the end.', labelNames: ['outcome'], buckets: SESSION_BUCKETS, registers: [registry] });
  const fingerAttempts = new Histogram({ name: 'cccd_fingerprint_attempts', help: 'Attempts it took to capture one finger.', buckets: [1, 2, 3, 4, 5, 6, 8, 10], registers: [registry] });
  const fingerQuality = new Histogram({ name: 'cccd_fingerprint_quality', help: 'Quality score (0–100) of each finger kept.', buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], registers: [registry] });
  const fingerBelow = new Counter({ name: 'cccd_fingerprint_below_threshold_total', help: 'Fingers kept below the quality threshold (staff will check).', registers: [registry] });
  const fingerExceptions = new Counter({ name: 'cccd_fingerprint_exceptions_total', help: 'Fingers declared as not capturable.', registers: [registry] });
  const facePhotos = new Counter({ name: 'cccd_face_photos_total', help: 'Face photos taken.', registers: [registry] });
  const faceFailures = new Counter({ name: 'cccd_face_check_failures_total', help: 'Face photos that failed a check, by check.', labelNames: ['check'], registers: [registry] });
  const help = new Counter({ name: 'cccd_help_requests_total', help: 'Calls for staff, by where they were made (screen, panel).', labelNames: ['source'], registers: [registry] });
  new Gauge({
    name: 'cccd_help_waiting_seconds',
    help: 'How long the citizen at this kiosk has been waiting for staff (0: nobody waits).',
    registers: [registry],
    collect() {
      this.set(sources.helpWaitingSeconds());
    },
  });
  const helpAnswer = new Histogram({ name: 'cccd_help_answer_seconds', help: 'From the help screen showing to its closing (staff came, or the citizen went on).', buckets: HELP_BUCKETS, registers: [registry] });
  const reconnects = new Counter({ name: 'cccd_device_reconnects_total', help: 'A device back to ready after a fault or disconnect.', labelNames: ['device'], registers: [registry] });
  const faults = new Counter({ name: 'cccd_device_faults_total', help: 'A working device going to fault or disconnected.', labelNames: ['device'], registers: [registry] });
  const tamper = new Counter({ name: 'cccd_tamper_events_total', help: 'The enclosure’s tamper switch opened.', registers: [registry] });
  new Counter({
    name: 'cccd_sync_errors_total',
    help: 'Failed attempts to send the outbox to the receiver since the kiosk started.',
    registers: [registry],
    // The sync loop counts them (sync/loop.ts); read at scrape, monotonic within the process.
    collect() {
      const n = sources.sync()?.failuresThisRun ?? 0;
      this.reset();
      if (n > 0) this.inc(n);
    },
  });
  new Gauge({
    name: 'cccd_device_state',
    help: 'Each device’s state: 1 for the state it is in, 0 for the others.',
    labelNames: ['device', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [device, now] of Object.entries(sources.devices())) for (const state of DEVICE_STATES) this.set({ device, state }, state === now ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cccd_outbox_pending',
    help: 'Sealed enrollments waiting to be acknowledged by the centre.',
    registers: [registry],
    async collect() {
      this.set((await sources.outbox()).pending);
    },
  });
  new Gauge({
    name: 'cccd_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest enrollment not yet acknowledged by the centre (0 when none waits).',
    registers: [registry],
    async collect() {
      this.set((await sources.outbox()).oldestPendingAgeS ?? 0);
    },
  });
  new Gauge({
    name: 'cccd_sync_consecutive_failures',
    help: 'Receiver or link failures in a row (0 after a success).',
    registers: [registry],
    collect() {
      this.set(sources.sync()?.consecutiveFailures ?? 0);
    },
  });
  new Gauge({
    name: 'cccd_sync_last_success_timestamp_seconds',
    help: 'When the receiver last acknowledged a packet sent by this process (0: not yet).',
    registers: [registry],
    collect() {
      const at = sources.sync()?.lastSuccessAt;
      this.set(at ? Date.parse(at) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'cccd_disk_free_bytes',
    help: 'Free space in the data directory, as last checked.',
    registers: [registry],
    collect() {
      const free = sources.diskFreeBytes();
      if (free !== undefined) this.set(free);
    },
  });
  if (sources.faceModel) {
    const faceModel = sources.faceModel;
    new Gauge({
      name: 'cccd_face_wasm_heap_bytes',
      help: 'Size of the face model’s WebAssembly memory (it only grows: the largest detection’s working set).',
      registers: [registry],
      collect() {
        const m = faceModel();
        if (m) this.set(m.wasmHeapBytes);
      },
    });
    new Gauge({
      name: 'cccd_face_tensors',
      help: 'Tensors alive in the face model (its weights; a rise between sessions is a leak).',
      registers: [registry],
      collect() {
        const m = faceModel();
        if (m) this.set(m.numTensors);
      },
    });
  }
  if (sources.thermalZone) {
    const zone = sources.thermalZone;
    new Gauge({
      name: 'cccd_cpu_temperature_celsius',
      help: 'SoC temperature (the Pi throttles from 80–85 °C).',
      registers: [registry],
      async collect() {
        const text = await readFile(zone, 'utf8').catch(() => '');
        const milli = Number.parseInt(text.trim(), 10);
        if (Number.isFinite(milli)) this.set(milli / 1000);
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    session(e) {
      switch (e.kind) {
        case 'step':
          stepSeconds.observe({ step: e.step }, e.seconds);
          return;
        case 'completed':
          completed.inc();
          sessionSeconds.observe({ outcome: 'completed' }, e.seconds);
          return;
        case 'abandoned':
          abandoned.inc({ step: e.step });
          sessionSeconds.observe({ outcome: 'abandoned' }, e.seconds);
          return;
        case 'finger-captured':
          fingerAttempts.observe(e.attempts);
          fingerQuality.observe(e.score);
          if (e.belowThreshold) fingerBelow.inc();
          return;
        case 'finger-exception':
          fingerExceptions.inc();
          return;
        case 'face-photo':
          facePhotos.inc();
          for (const check of e.failed) faceFailures.inc({ check });
          return;
        case 'help-answered':
          helpAnswer.observe(e.seconds);
          return;
      }
    },
    helpRequested(source) {
      help.inc({ source });
    },
    deviceChanged(device, from, to) {
      const down = to === 'fault' || to === 'disconnected';
      if ((from === 'ready' || from === 'busy') && down) faults.inc({ device });
      // Ready again after being down (through connecting or not); the first connection is not a reconnect.
      if (down) wasDown.add(device);
      else if (to === 'ready' && wasDown.delete(device)) reconnects.inc({ device });
    },
    tamper() {
      tamper.inc();
    },
    render: () => registry.metrics(),
  };
}
