import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROMPT_IDS, promptFile, promptText, type PromptId } from './kiosk/voice-prompts';
import { LANGS, type Lang } from '../domain/language';

/**
 * The kiosk's spoken prompts (issue #15), rendered at build time with Debian's offline speech
 * synthesiser, espeak-ng (it speaks Vietnamese), and encoded by sox into small Ogg Vorbis files.
 * (Ogg Vorbis, not Opus: Debian's sox reads Opus but cannot write it; Chromium plays both.)
 * Each file is cached by a hash of its text, voice, settings and the espeak-ng version, so a
 * rebuild only renders what changed. Nothing is rendered on the kiosk at run time.
 */

const run = promisify(execFile);
const UI_DIR = dirname(fileURLToPath(import.meta.url));
/** Survives `npm run build:ui` (which empties ui/dist/kiosk); git-ignored with ui/dist. */
export const VOICE_CACHE = join(UI_DIR, 'dist', '.voice-cache');

/** espeak-ng's voice for each language: Northern Vietnamese, and English. */
export const ESPEAK_VOICES: Readonly<Record<Lang, string>> = { vi: 'vi', en: 'en' };

/**
 * Slower than espeak-ng's 175 words a minute: many citizens are elderly. The amplitude leaves
 * headroom (at espeak-ng's default 100 its peaks touch full scale); sox then sets the peak to
 * -3 dBFS, pads a little silence (so the first syllable is not lost while the audio starts),
 * and encodes mono 16 kHz Vorbis at its lowest quality (about 16 kbit/s), plenty for espeak-ng's voice.
 */
export const RENDER = { wordsPerMinute: 145, amplitude: 60, peakDb: -3, padStartS: 0.15, padEndS: 0.2, sampleRate: 16_000, vorbisQuality: -1 } as const;

export interface VoiceClip {
  readonly id: PromptId;
  readonly lang: Lang;
  readonly text: string;
  /** Relative to the page's folder: voice/<id>.<lang>.ogg. */
  readonly file: string;
  /** The cache key: what the audio was made from. */
  readonly key: string;
}

/** What a clip's audio depends on: change any of it and the clip is rendered again. */
export function clipKey(text: string, voice: string, espeakVersion: string): string {
  return createHash('sha256').update(JSON.stringify({ text, voice, espeakVersion, render: RENDER })).digest('hex').slice(0, 32);
}

async function tool(cmd: string, args: readonly string[], pkg: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, [...args], { maxBuffer: 1 << 20 });
    return stdout;
  } catch (err: unknown) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') {
      throw new Error(`${cmd} is not installed: the kiosk's voice prompts are rendered with it at build time (Debian: apt-get install ${pkg})`);
    }
    throw err;
  }
}

export async function espeakVersion(): Promise<string> {
  const out = await tool('espeak-ng', ['--version'], 'espeak-ng');
  return out.trim().split('\n')[0] ?? out.trim();
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size > 0,
    () => false,
  );
}

async function render(clip: VoiceClip, cached: string): Promise<void> {
  const wav = `${cached}.${process.pid}.wav`;
  const ogg = `${cached}.${process.pid}.ogg`;
  try {
    await tool('espeak-ng', ['-v', ESPEAK_VOICES[clip.lang], '-s', String(RENDER.wordsPerMinute), '-a', String(RENDER.amplitude), '-w', wav, '--', clip.text], 'espeak-ng');
    await tool('sox', [wav, '-c', '1', '-r', String(RENDER.sampleRate), '-C', String(RENDER.vorbisQuality), '-t', 'vorbis', ogg, 'gain', '-n', String(RENDER.peakDb), 'pad', String(RENDER.padStartS), String(RENDER.padEndS)], 'sox libsox-fmt-base');
    await rename(ogg, cached);
  } finally {
    await rm(wav, { force: true });
    await rm(ogg, { force: true });
  }
}

/** Every prompt in every language, as the build renders them. */
export async function voiceClips(): Promise<VoiceClip[]> {
  const version = await espeakVersion();
  return PROMPT_IDS.flatMap((id) =>
    LANGS.map((lang): VoiceClip => {
      const text = promptText(id, lang);
      return { id, lang, text, file: promptFile(id, lang), key: clipKey(text, ESPEAK_VOICES[lang], version) };
    }),
  );
}

/**
 * Renders what the cache lacks and copies every clip into `pageDir`/voice/, with a manifest
 * (voice/manifest.json: id, language, text, file, key) for the checks. Returns the clips.
 */
export async function buildVoice(pageDir: string, opts: { readonly cacheDir?: string } = {}): Promise<VoiceClip[]> {
  const cacheDir = opts.cacheDir ?? VOICE_CACHE;
  await mkdir(cacheDir, { recursive: true });
  await mkdir(join(pageDir, 'voice'), { recursive: true });
  const clips = await voiceClips();
  const queue = [...clips];
  const worker = async (): Promise<void> => {
    for (let clip = queue.shift(); clip; clip = queue.shift()) {
      const cached = join(cacheDir, `${clip.key}.ogg`);
      if (!(await exists(cached))) await render(clip, cached);
      await copyFile(cached, join(pageDir, clip.file));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(4, availableParallelism())) }, worker));
  await writeFile(join(pageDir, 'voice', 'manifest.json'), `${JSON.stringify(clips, null, 1)}\n`);
  return clips;
}
