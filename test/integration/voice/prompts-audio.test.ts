import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVoice, type VoiceClip } from '../../../ui/voice-build';
import { PROMPT_IDS } from '../../../ui/kiosk/voice-prompts';
import { LANGS } from '../../../domain/language';

/**
 * The spoken prompts as the build renders them (issue #15), measured with sox: every prompt has
 * its audio in both languages, none silent, none clipped, each about as long as its words take
 * to say, and all of them small. Rendered once (the build's cache), into a folder of this test.
 */

const run = promisify(execFile);
const DIR = path.resolve('test/artifacts/voice-test');

let clips: VoiceClip[] = [];

beforeAll(async () => {
  clips = await buildVoice(DIR);
}, 180_000);

interface Stats {
  readonly seconds: number;
  readonly peakDb: number;
  readonly rmsDb: number;
  /** Samples at full scale (sox `stat`'s clip count is for its own processing; this is the file's). */
  readonly flatFactor: number;
  readonly channels: number;
}

async function measure(file: string): Promise<Stats> {
  const info = await run('sox', ['--i', file]);
  const [, h = 'NaN', m = 'NaN', sec = 'NaN'] = /Duration\s*:\s*(\d+):(\d+):([\d.]+)/.exec(info.stdout) ?? [];
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(sec);
  const channels = Number(/Channels\s*:\s*(\d+)/.exec(info.stdout)?.[1]);
  // `stats` prints to stderr.
  const { stderr } = await run('sox', [file, '-n', 'stats']);
  const num = (label: string): number => Number(new RegExp(`${label}\\s+(-?[\\d.]+|-inf)`).exec(stderr)?.[1]?.replace('-inf', '-Infinity'));
  return { seconds, peakDb: num('Pk lev dB'), rmsDb: num('RMS lev dB'), flatFactor: num('Flat factor'), channels };
}

describe('the rendered prompts', () => {
  it('are every prompt in both languages, each its own file', () => {
    expect(clips).toHaveLength(PROMPT_IDS.length * LANGS.length);
    for (const id of PROMPT_IDS) for (const lang of LANGS) expect(clips.some((c) => c.id === id && c.lang === lang)).toBe(true);
  });

  it('come with a manifest the checks and a technician can read', async () => {
    const manifest: unknown = JSON.parse(await readFile(path.join(DIR, 'voice', 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(clips);
  });

  it('are speech: not silent, not clipped, mono, as long as their words take to say', async () => {
    const problems: string[] = [];
    for (const c of clips) {
      const s = await measure(path.join(DIR, c.file));
      const where = `${c.file} ("${c.text}")`;
      if (s.channels !== 1) problems.push(`${where}: ${s.channels} channels`);
      if (!(s.rmsDb > -35)) problems.push(`${where}: RMS ${s.rmsDb} dB, too quiet`);
      if (!(s.peakDb > -12)) problems.push(`${where}: peak ${s.peakDb} dB, too quiet`);
      // Normalised to -3 dBFS: nothing reaches full scale, and no flat-topped (clipped) peaks.
      if (!(s.peakDb < -1)) problems.push(`${where}: peak ${s.peakDb} dB, at full scale`);
      if (!(s.flatFactor === 0)) problems.push(`${where}: flat factor ${s.flatFactor} (clipped)`);
      // Speech runs at 1.5–4.5 words a second (espeak-ng is set to 145 a minute), plus the pads.
      const words = c.text.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w)).length;
      if (!(s.seconds > words / 4.5 && s.seconds < words / 1.2 + 1.5)) problems.push(`${where}: ${s.seconds.toFixed(2)} s for ${words} words`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('are small: the kiosk page with every prompt stays light', async () => {
    let total = 0;
    for (const c of clips) total += (await stat(path.join(DIR, c.file))).size;
    expect(total).toBeLessThan(1.5 * 1024 * 1024);
  });
});
