import type { Camera, Device, DocumentScanner, FingerprintSensor, ReceiptPrinter } from '../../drivers/types';
import { adviceFor, notWorking } from './advice';
import type { FaceDetector } from '../capture/face-detector';
import type { SimControls } from '../devices/sim-controls';
import { cameraSelfTest } from './self-tests/camera';
import { fingerprintSelfTest } from './self-tests/fingerprint';
import { panelSelfTest } from './self-tests/panel';
import { printerSelfTest } from './self-tests/printer';
import { scannerSelfTest } from './self-tests/scanner';
import type { PanelTester } from './panel-tester';
import type { Bilingual } from '../../domain/language';
import type { SelfTestResult, TechDevice } from '../../domain/tech-channel/messages';

/**
 * One self-test per device (issue #13), the same whether the service screen asks the running
 * kiosk for it, `kiosk diag` asks the running kiosk through the tech channel, or `kiosk diag`
 * opens the devices itself when no kiosk runs. Each returns `ok`, what happened, and when not ok
 * the next thing to check; none throws.
 */
export interface SelfTestKit {
  readonly fingerprint: FingerprintSensor;
  readonly scanner: DocumentScanner;
  readonly camera: Camera;
  readonly printer: ReceiptPrinter;
  readonly panel: PanelTester;
  /** The face detector (loading takes seconds, so only when the camera is tested). */
  readonly detector: () => Promise<FaceDetector>;
  readonly kioskId: string;
  /** The score a fingerprint must reach (the flow's threshold). */
  readonly fingerThreshold: number;
  readonly waits: { readonly fingerMs: number; readonly scanMs: number; readonly inputMs: number };
  /**
   * The simulators' controls, when devices run on them: the test then plays the technician's
   * part itself (presents a code, taps the panel's inputs), as `diag scanner --sim` does.
   */
  readonly sim?: SimControls;
}

/** What the technician is asked to do while a test runs, shown as soon as it starts. */
export interface SelfTestHooks {
  readonly prompt?: (text: Bilingual) => void;
  readonly signal?: AbortSignal;
}

/** How long a self-test waits for the technician: a finger (the flow's wait replaces it in the kiosk), a code, the panel's inputs. */
export const SELF_TEST_WAITS = { fingerMs: 15_000, scanMs: 20_000, inputMs: 10_000 } as const;

/** A device that is reconnecting is given this long to come back before it is judged. */
export const RECONNECT_GRACE_MS = 3_000;

/**
 * Is the device usable, or (after waiting out a reconnect) what the test reports instead: its
 * state now, and what to check next. A device that keeps reconnecting does not answer.
 */
export async function usableOr(device: TechDevice, d: Device, signal?: AbortSignal): Promise<Outcome | undefined> {
  const usable = (): boolean => d.status().state === 'ready' || d.status().state === 'busy';
  if (!usable() && d.status().state === 'connecting') {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        off();
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const off = d.onStatus(() => {
        if (usable()) done();
      });
      const timer = setTimeout(done, RECONNECT_GRACE_MS);
      signal?.addEventListener('abort', done);
    });
  }
  if (usable()) return undefined;
  const s = d.status();
  const state = s.state === 'connecting' ? 'timeout' : s.state;
  return { ok: false, summary: notWorking(device, state), next: adviceFor(device, state), detail: s.detail ?? s.state };
}

export interface Outcome extends Omit<SelfTestResult, 'device' | 'at' | 'ms'> {}

export async function runSelfTest(device: TechDevice, kit: SelfTestKit, hooks: SelfTestHooks = {}): Promise<SelfTestResult> {
  const at = new Date();
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await testOf(device)(kit, hooks);
  } catch (err) {
    // A bug or a driver that threw after all: still an answer, never a dead screen.
    outcome = {
      ok: false,
      summary: { vi: 'Bài kiểm tra gặp lỗi không lường trước.', en: 'The test failed unexpectedly.' },
      next: { vi: 'Bấm "Kiểm tra" lại; nếu vẫn lỗi, khởi động lại ki-ốt và báo cho bộ phận kỹ thuật.', en: 'Press "Test" again; if it fails again, restart the kiosk and tell the technical team.' },
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  return { device, at: at.toISOString(), ms: Math.round(performance.now() - started), ...outcome };
}

function testOf(device: TechDevice): (kit: SelfTestKit, hooks: SelfTestHooks) => Promise<Outcome> {
  switch (device) {
    case 'fingerprint':
      return fingerprintSelfTest;
    case 'scanner':
      return scannerSelfTest;
    case 'camera':
      return cameraSelfTest;
    case 'printer':
      return printerSelfTest;
    case 'panel':
      return panelSelfTest;
  }
}
