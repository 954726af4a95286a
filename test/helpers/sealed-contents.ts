import type { KeyObject } from 'node:crypto';
import sharp from 'sharp';
import { parsePacket } from '../../controller/packet/parse';
import { openSealedPacket } from '../../controller/packet/seal';
import { faceOf } from './enrollment-record';

/**
 * What a test may look for on disk after real enrollments (issue #12: "a scan … for unsealed
 * biometric bytes that finds none"): the receiver opens each sealed packet with the central key
 * (which the kiosk never has) and names what must not appear anywhere in plaintext — the ID
 * number, the name and address as read from the card, the PNG/JPEG signatures, slices of every
 * image as encoded, and slices of each fingerprint's raw pixels.
 */
export interface Needle {
  readonly what: string;
  readonly bytes: Buffer;
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * A JPEG starts FF D8 FF; three bytes turn up by chance in a megabyte of ciphertext (6 % per MB),
 * so the needle is a JPEG's start of image with the application segment that follows (JFIF/Exif),
 * and, per image, the first 16 bytes of the actual face JPEG.
 */
export const JPEG_MAGIC_JFIF = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
export const JPEG_MAGIC_EXIF = Buffer.from([0xff, 0xd8, 0xff, 0xe1]);

export async function needlesFromSealed(sealedPackets: readonly Uint8Array[], centralPrivateKey: KeyObject, kioskPublicKey: KeyObject): Promise<Needle[]> {
  const needles: Needle[] = [
    { what: 'PNG magic', bytes: PNG_MAGIC },
    { what: 'JPEG magic (JFIF)', bytes: JPEG_MAGIC_JFIF },
    { what: 'JPEG magic (Exif)', bytes: JPEG_MAGIC_EXIF },
  ];
  for (const sealed of sealedPackets) {
    const opened = openSealedPacket(sealed, centralPrivateKey);
    if (!opened.ok) throw new Error(`a stored packet does not open: ${opened.error}`);
    const parsed = parsePacket(opened.inner, kioskPublicKey);
    if (!parsed.ok) throw new Error(`a stored packet does not verify: ${parsed.error}`);
    const { record } = parsed;
    const id = record.document.idNumber;
    needles.push({ what: `ID number ${id}`, bytes: Buffer.from(id) });
    for (const [field, value] of Object.entries(record.document.fields)) {
      if (field === 'dateOfBirth' || field === 'sex' || field.endsWith('Date') || value.length < 6) continue;
      needles.push({ what: `${field} "${value}" (UTF-8)`, bytes: Buffer.from(value) }, { what: `${field} "${value}" (UTF-16)`, bytes: Buffer.from(value, 'utf16le') });
    }
    for (const finger of record.fingers) {
      if (finger.status !== 'captured') continue;
      const png = Buffer.from(finger.png);
      needles.push({ what: `${finger.position} PNG bytes`, bytes: png.subarray(Math.floor(png.length / 2), Math.floor(png.length / 2) + 48) });
      const raw = await sharp(png).raw().toBuffer();
      needles.push({ what: `${finger.position} raw pixels`, bytes: busyWindow(raw, 64) });
    }
    const face = Buffer.from(faceOf(record).jpeg);
    needles.push({ what: 'JPEG magic (this face JPEG’s first 16 bytes)', bytes: face.subarray(0, 16) });
    needles.push({ what: 'face JPEG bytes', bytes: face.subarray(Math.floor(face.length / 2), Math.floor(face.length / 2) + 48) });
    const sig = Buffer.from(record.signature.png);
    needles.push({ what: 'signature PNG bytes', bytes: sig.subarray(Math.floor(sig.length / 2), Math.floor(sig.length / 2) + 32) });
    opened.inner.fill(0);
  }
  return needles;
}

/** The window of `n` bytes with the most different values: no blank run that empty pages might also hold. */
function busyWindow(bytes: Buffer, n: number): Buffer {
  let best = bytes.subarray(0, n);
  let bestCount = 0;
  for (let at = 0; at + n <= bytes.length; at += n) {
    const w = bytes.subarray(at, at + n);
    const count = new Set(w).size;
    if (count > bestCount) [best, bestCount] = [w, count];
  }
  if (bestCount < 3) throw new Error('no varied window of pixels in this image');
  return best;
}

/** The needles found in `bytes`, by name. */
export function found(bytes: Buffer, needles: readonly Needle[]): string[] {
  return needles.filter((n) => n.bytes.length > 0 && bytes.includes(n.bytes)).map((n) => n.what);
}
