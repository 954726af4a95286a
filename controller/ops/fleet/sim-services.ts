import sharp from 'sharp';
import type { DocumentOutcome } from '../../enrollment/context';
import type { KioskServices } from '../../enrollment/services';

/**
 * The services a simulated kiosk of the fleet (issue #14, `simulate-fleet`) gives its statechart:
 * no devices, no store, a cooperative answer after a short wait, so the real enrollment
 * statechart runs as it does on a kiosk while a simulated citizen drives it (citizens.ts). The
 * photo of a hand is a real JPEG (a drawn hand), so the console shows a picture.
 */

export interface SimPictures {
  readonly hand: Uint8Array;
  readonly face: Uint8Array;
}

/** A drawn open hand and a drawn face, as JPEGs (made once per fleet). */
export async function makeSimPictures(): Promise<SimPictures> {
  const hand = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 400 300">
    <rect width="400" height="300" fill="#4b5563"/>
    <g fill="#e0ac69" stroke="#7c4a1e" stroke-width="3">
      <rect x="146" y="136" width="120" height="130" rx="38"/>
      <rect x="150" y="80" width="24" height="72" rx="12" transform="rotate(-8 162 152)"/>
      <rect x="178" y="48" width="26" height="100" rx="13"/>
      <rect x="208" y="34" width="26" height="112" rx="13"/>
      <rect x="238" y="48" width="26" height="100" rx="13"/>
      <rect x="262" y="150" width="28" height="80" rx="14" transform="rotate(38 276 230)"/>
    </g>
    <rect x="176" y="60" width="32" height="40" rx="6" fill="#f8fafc" stroke="#94a3b8" stroke-width="3"/>
  </svg>`;
  const face = `<svg xmlns="http://www.w3.org/2000/svg" width="413" height="531"><rect width="413" height="531" fill="#f1f5f9"/><ellipse cx="206" cy="240" rx="110" ry="140" fill="#e0ac69"/></svg>`;
  const [h, f] = await Promise.all([sharp(Buffer.from(hand)).jpeg({ quality: 80 }).toBuffer(), sharp(Buffer.from(face)).jpeg({ quality: 80 }).toBuffer()]);
  return { hand: new Uint8Array(h), face: new Uint8Array(f) };
}

export interface SimServiceOptions {
  readonly pictures: SimPictures;
  /** How long each simulated device takes (ms): a scan, a finger, a photo. */
  readonly deviceMs: number;
  /** A committed packet joins the simulated outbox. */
  readonly onCommitted: () => void;
  readonly random: () => number;
}

const wait = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

function document(random: () => number): Extract<DocumentOutcome, { kind: 'parsed' }> {
  const idNumber = `0792030${String(Math.floor(random() * 1e5)).padStart(5, '0')}`;
  return {
    kind: 'parsed',
    document: { kind: 'cccd-qr', idNumber, fullName: 'Công Dân Mô Phỏng', dateOfBirth: '1980-01-01', sex: 'female', flags: [] },
    checks: [{ name: 'id-vs-birth-year', ok: true }],
    fields: { fullName: 'Công Dân Mô Phỏng', dateOfBirth: '1980-01-01' },
  };
}

export function createSimServices(o: SimServiceOptions): KioskServices {
  let codes = 0;
  return {
    // Nobody brings an invitation to a simulated kiosk (issue #15): the start screen's watch hears nothing.
    watchInvitations() {
      return () => undefined;
    },
    async readDocument(_input, signal) {
      await wait(o.deviceMs, signal);
      return signal.aborted ? { kind: 'timeout' } : document(o.random);
    },
    async parseTypedNumber() {
      return document(o.random);
    },
    async captureFinger(_input, onProgress, signal) {
      await wait(o.deviceMs, signal);
      if (signal.aborted) return { kind: 'no-finger' };
      onProgress(0.5);
      const pixels = new Uint8Array(64).fill(128);
      return { kind: 'captured', image: { width: 8, height: 8, pixels }, png: Uint8Array.of(0x89, 0x50, 0x4e, 0x47), score: 60 + Math.floor(o.random() * 35) };
    },
    async takeProofPhoto(_input, signal) {
      await wait(o.deviceMs / 2, signal);
      // A copy per photo: the statechart overwrites the one it is given when it lets go of it.
      return { kind: 'photo', jpeg: new Uint8Array(o.pictures.hand), width: 480, height: 360 };
    },
    faceSession(_input, emit) {
      let stopped = false;
      const t = setTimeout(() => {
        if (!stopped) emit({ type: 'FACE_GUIDANCE', checks: [{ name: 'face-count', pass: true }], steady: true });
      }, o.deviceMs);
      return {
        takeStill() {
          setTimeout(() => {
            if (!stopped) emit({ type: 'FACE_CAPTURED', face: { jpeg: new Uint8Array(o.pictures.face), width: 413, height: 531, measurements: {}, score: 90 } });
          }, 50);
        },
        stop() {
          stopped = true;
          clearTimeout(t);
        },
      };
    },
    async checkSignature() {
      return { kind: 'valid', png: Uint8Array.of(0x89, 0x50, 0x4e, 0x47), width: 600, height: 200, strokeCount: 3 };
    },
    async submit() {
      await wait(o.deviceMs / 2);
      o.onCommitted();
      codes += 1;
      return { trackingCode: `SIM-${String(codes).padStart(3, '0')}-${Math.floor(o.random() * 900 + 100)}` };
    },
    async printReceipt() {
      return { printed: true, receiptLines: ['CCCD (mô phỏng)'] };
    },
  };
}
