/**
 * `kiosk photo check FILE [--json]`: run the same face checks the photo step runs on a still,
 * on a file. Exit 0 = the kiosk would accept it, 1 = it would not, 2 = not an image / bad usage.
 */
import { readFile } from 'node:fs/promises';
import { analyzeFace } from '../capture/face-analysis';
import type { FaceCheck } from '../capture/face-checks';
import { createFaceDetector } from '../capture/face-detector';
import { decodeToRgb } from '../capture/image-rgb';
import type { RgbImage } from '../../domain/images';
import type { CliCommand } from './io';

const HELP = `Usage: npm run kiosk -- photo check FILE [--json]

Checks a face photo against the kiosk's ICAO portrait rules and prints every check with its
measured value, its limit and pass/fail, then "ok" overall.

  --json   print the result as JSON
  --help   this text

Exit status: 0 accepted, 1 rejected, 2 the file could not be read as an image (or bad usage).
`;

function limit(c: FaceCheck): string {
  const { min, max } = c.threshold;
  if (min !== undefined && max !== undefined) return min === max ? `= ${min}` : `${fmt(min)}…${fmt(max)}`;
  return min !== undefined ? `≥ ${fmt(min)}` : `≤ ${fmt(max ?? Number.NaN)}`;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) < 1 ? v.toFixed(3) : v.toFixed(1));

export const photoCommand: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const json = argv.includes('--json');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const [verb, file, ...extra] = positional;
  if (verb !== 'check' || file === undefined || extra.length > 0) {
    io.err(HELP);
    return 2;
  }
  let image: RgbImage;
  try {
    image = await decodeToRgb(new Uint8Array(await readFile(file)));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (json) io.out(JSON.stringify({ file, ok: false, error: 'unreadable', message: why }) + '\n');
    io.err(`cannot read ${file} as an image: ${why}\n`);
    return 2;
  }
  const detector = await createFaceDetector();
  // A still: full-size detector input, unscaled ICAO eye-distance limit.
  const result = await analyzeFace(detector, image, { inputSize: 416 });
  if (json) {
    io.out(JSON.stringify({ file, width: image.width, height: image.height, ok: result.ok, checks: result.checks, primaryGuidance: result.primaryGuidance }, null, 2) + '\n');
  } else {
    const width = Math.max(...result.checks.map((c) => c.name.length));
    io.out(`${file}  ${image.width}×${image.height}\n`);
    for (const c of result.checks) {
      io.out(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.name.padEnd(width)}  ${fmt(c.value).padStart(7)}  (${limit(c)})${c.pass ? '' : `  — ${c.guidance.en}`}\n`);
    }
    io.out(`ok: ${result.ok}${result.ok ? '' : `  — ${result.primaryGuidance.vi} / ${result.primaryGuidance.en}`}\n`);
  }
  return result.ok ? 0 : 1;
};
