/**
 * Role (the device interfaces): The seam between the controller and the peripherals. Every
 * device the kiosk drives is reached only through these interfaces, so the enrollment flow runs
 * unchanged against a simulator, a real module on a serial port, or a fake in a unit test.
 *
 * Replies are discriminated unions, never exceptions: the caller (a device actor) must decide
 * what a missing finger or a pulled cable means for the citizen in front of the kiosk.
 */

import type { DeviceKind, DeviceState, FaultReason, ProgressFn } from '../domain/devices';
import type { GreyImage } from '../domain/images';

export interface DeviceStatus {
  readonly kind: DeviceKind;
  readonly driver: string;
  readonly state: DeviceState;
  /** Human-readable detail for technicians ("no reply on /dev/ttyUSB0 at 57600 baud"). */
  readonly detail?: string;
}


export interface Fault {
  readonly kind: 'fault';
  readonly reason: FaultReason;
  /** For logs and technicians, in English; never shown to citizens as is. */
  readonly message: string;
}

/** A device that can be opened, closed and asked for its state. */
export interface Device {
  readonly kind: DeviceKind;
  /** Open the port, handshake, read parameters. Resolves with the state it reached. */
  open(signal?: AbortSignal): Promise<DeviceStatus>;
  close(): Promise<void>;
  status(): DeviceStatus;
  /** Called with every state change (reconnects, faults), for the device actor and for ops. */
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  /**
   * Is the device there to be opened (its port node, its USB ids), whether or not it is open?
   * Cheap and side-effect free: the supervisor asks it while the device is down, so a cable
   * plugged back in is noticed at once (hot-plug) rather than after a long backoff, and a device
   * that is not there is reported disconnected rather than faulty. Absent: not known.
   */
  present?(): Promise<boolean>;
}

// ───────────────────────────── fingerprint ─────────────────────────────

export interface FingerprintSensorInfo {
  readonly model: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** The rate the session runs at now (after any raise). */
  readonly baud: number;
  /** The rate the module answered at when it was opened (it keeps its rate in flash; issue #13). */
  readonly foundAtBaud?: number;
  readonly packetSize: number;
  readonly libraryCapacity: number;
  readonly securityLevel: number;
}

export type FingerCaptureResult =
  | { readonly kind: 'image'; readonly image: GreyImage; readonly timings: Readonly<Record<string, number>> }
  /** Nobody put a finger on the window before the deadline. */
  | { readonly kind: 'no-finger' }
  | Fault;

export interface FingerprintSensor extends Device {
  readonly kind: 'fingerprint';
  info(): FingerprintSensorInfo | undefined;
  /**
   * Wait for a finger (until `waitMs` passes or `signal` aborts), take the image and upload it.
   * `onProgress` reports the upload as data packets arrive.
   */
  capture(opts: { readonly waitMs: number; readonly signal?: AbortSignal; readonly onProgress?: ProgressFn }): Promise<FingerCaptureResult>;
  /** Ring/backlight LED on modules that have one; a no-op on those that don't. */
  setLed?(mode: 'off' | 'on' | 'breathing' | 'flash', colour: 'red' | 'blue' | 'purple'): Promise<void>;
}

// ───────────────────────────── document scanner ─────────────────────────────

export type ScanResult =
  /** One complete decoded code, as text (UTF-8 decoded, not yet normalised). */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timeout' }
  | Fault;

export interface DocumentScanner extends Device {
  readonly kind: 'document';
  /**
   * Wait for one complete scan. `idle`: an idle listen (the start screen's, for an invitation):
   * the scanner stays `ready` meanwhile, since nobody is being kept waiting on it; any other
   * read supersedes it as before.
   */
  read(opts: ScanReadOptions): Promise<ScanResult>;
}

export interface ScanReadOptions {
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  readonly idle?: boolean;
}

// ───────────────────────────── camera ─────────────────────────────

export interface CameraFrame {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Monotonic ms when the frame was taken. */
  readonly at: number;
}

export type StillResult = { readonly kind: 'still'; readonly frame: CameraFrame } | Fault;

export interface Camera extends Device {
  readonly kind: 'camera';
  /** Subscribe to the preview stream; returns an unsubscribe function. */
  preview(onFrame: (frame: CameraFrame) => void): () => void;
  /** A full-resolution still from the running stream. */
  still(opts: { readonly signal?: AbortSignal }): Promise<StillResult>;
}

// ───────────────────────────── printer ─────────────────────────────

export type PrinterStatus =
  | { readonly kind: 'ready' }
  | { readonly kind: 'paper-out' }
  | { readonly kind: 'paper-low' }
  | { readonly kind: 'cover-open' }
  | { readonly kind: 'offline' }
  | Fault;

export interface ReceiptLine {
  readonly text: string;
  readonly align?: 'left' | 'center' | 'right';
  readonly bold?: boolean;
  readonly size?: 'normal' | 'large';
}

export interface Receipt {
  readonly lines: readonly ReceiptLine[];
  /** Encoded as a QR code below the lines. */
  readonly qr?: string;
}

export type PrintResult = { readonly kind: 'printed' } | { readonly kind: 'not-printed'; readonly status: PrinterStatus };

export interface ReceiptPrinter extends Device {
  readonly kind: 'printer';
  readStatus(): Promise<PrinterStatus>;
  print(receipt: Receipt, opts?: { readonly signal?: AbortSignal }): Promise<PrintResult>;
}

// ───────────────────────────── GPIO panel ─────────────────────────────

export type PanelLed = 'status' | 'help' | 'fingerprint' | 'camera-light';
export const PANEL_INPUTS = ['help-button', 'presence', 'tamper'] as const;
export type PanelInput = (typeof PANEL_INPUTS)[number];

/**
 * What an LED shows: lit or dark (true / false), or blinking, `blink-slow` about once a second
 * (the kiosk is busy with a citizen), `blink-fast` about four times a second (out of service).
 */
export type LedState = boolean | 'blink-slow' | 'blink-fast';

export interface GpioPanel extends Device {
  readonly kind: 'gpio';
  setLed(led: PanelLed, state: LedState): Promise<void>;
  /** Edge events from the panel's inputs; returns an unsubscribe function. */
  onInput(listener: (input: PanelInput, active: boolean) => void): () => void;
}

/** Everything the controller drives. Built in main.ts from config (`driver: "sim" | <real>`). */
export interface DeviceSet {
  readonly fingerprint: FingerprintSensor;
  readonly document: DocumentScanner;
  readonly camera: Camera;
  readonly printer: ReceiptPrinter;
  readonly gpio: GpioPanel;
}
