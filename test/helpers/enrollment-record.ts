import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { rng } from '../../drivers/prng';
import type { EnrollmentRecord, FaceRecord, FingerRecord } from '../../domain/enrollment-record';
import { FINGER_POSITIONS } from '../../domain/fingers';

/**
 * Test fixtures only: an enrollment record the size of a real one (ten 256×288 greyscale
 * fingerprint PNGs as an R307 delivers them, a face JPEG, a signature PNG, ~1 MB in all).
 * Pixels are ridge-like stripes plus noise so PNG cannot squeeze them to nothing.
 */

export async function fingerprintPng(seed: number, width = 256, height = 288): Promise<Uint8Array> {
  const rand = rng(seed);
  const angle = rand() * Math.PI;
  const period = 6 + rand() * 4;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ridge = Math.sin(((x * Math.cos(angle) + y * Math.sin(angle)) / period) * 2 * Math.PI);
      const value = 128 + ridge * 80 + (rand() - 0.5) * 90;
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  const png = await sharp(pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
  return new Uint8Array(png);
}

export async function faceJpeg(seed: number, width = 480, height = 640): Promise<Uint8Array> {
  const rand = rng(seed);
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inFace = ((x - width / 2) / 150) ** 2 + ((y - height / 2.2) / 200) ** 2 < 1;
      const base = inFace ? [205, 160, 130] : [235, 235, 240];
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.max(0, Math.min(255, (base[c] ?? 0) + (rand() - 0.5) * 32));
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  return new Uint8Array(jpeg);
}

export async function signaturePng(width = 600, height = 200): Promise<Uint8Array> {
  const pixels = new Uint8Array(width * height).fill(255);
  for (let x = 20; x < width - 20; x++) {
    const y = Math.round(height / 2 + Math.sin(x / 23) * 40 + Math.cos(x / 7) * 10);
    for (let dy = -2; dy <= 2; dy++) pixels[(y + dy) * width + x] = 0;
  }
  return new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

export interface RecordOptions {
  /** Image size; small images make fuzz tests fast. */
  readonly fingerSize?: { width: number; height: number };
  readonly faceSize?: { width: number; height: number };
  /** Which finger (by index) is recorded as an exception instead of captured. */
  readonly exceptionAt?: number;
  readonly id?: string;
}

/** A record with biometrics: its face is always there. */
export type BiometricRecord = EnrollmentRecord & { readonly face: FaceRecord };

/** The face of a record that must have one (a packet with biometrics). */
export function faceOf(record: EnrollmentRecord): FaceRecord {
  if (!record.face) throw new Error(`record ${record.id} has no face photo`);
  return record.face;
}

export async function makeRecord(opts: RecordOptions = {}): Promise<BiometricRecord> {
  const fw = opts.fingerSize?.width ?? 256;
  const fh = opts.fingerSize?.height ?? 288;
  const fingers: FingerRecord[] = await Promise.all(
    FINGER_POSITIONS.map(async (position, i): Promise<FingerRecord> =>
      i === opts.exceptionAt
        ? { position, status: 'exception', reason: 'bandaged', attempts: 3 }
        : { position, status: 'captured', png: await fingerprintPng(i + 1, fw, fh), width: fw, height: fh, score: 40 + i * 5, attempts: 1 + (i % 3), belowThreshold: false, threshold: 40 },
    ),
  );
  const face = opts.faceSize ?? { width: 480, height: 640 };
  return {
    id: opts.id ?? randomUUID(),
    kioskId: 'KIOSK-045-0007',
    startedAt: '2025-03-14T08:00:00.000Z',
    completedAt: '2025-03-14T08:04:12.500Z',
    language: 'vi',
    document: {
      kind: 'cccd-qr',
      idNumber: '045201001234',
      fields: { name: 'Nguyễn Thị Hồng Nhung', dateOfBirth: '2001-05-17', sex: 'Nữ', address: 'Thôn 3, xã Gio Linh, Quảng Trị' },
      flags: [],
    },
    fingers,
    face: {
      jpeg: await faceJpeg(99, face.width, face.height),
      ...face,
      measurements: { eyeDistancePx: 112, yawDeg: 2.5, eyesOpen: true, backgroundUniform: true },
    },
    signature: { png: await signaturePng(), width: 600, height: 200, strokeCount: 4 },
  };
}
