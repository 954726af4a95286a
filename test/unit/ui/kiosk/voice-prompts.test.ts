import { describe, expect, it } from 'vitest';
import { FINGER_NAMES, LABELS } from '../../../../ui/common/i18n';
import { FINGER_POSITIONS } from '../../../../domain/fingers';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';
import { PROMPT_IDS, VOICE_PROMPTS, overPrompt, promptFile, promptText, screenPrompt, type PromptId } from '../../../../ui/kiosk/voice-prompts';
import { RENDER, clipKey } from '../../../../ui/voice-build';
import { LANGS } from '../../../../domain/language';
import { FIXTURES } from '../../../ui/fixtures';

/**
 * The spoken prompts (issue #15): every screen, phase, overlay and dialog the page can show has
 * one, made of the page's own labels, in both languages; the build's cache key changes with
 * anything the audio is made from.
 */

describe('the prompt table', () => {
  it('has a prompt for every screen, phase, overlay and dialog the previews show', () => {
    const missing: string[] = [];
    for (const f of FIXTURES) {
      const ids = [screenPrompt(f.view.screen), overPrompt(f.view)].filter((id): id is PromptId => id !== undefined);
      if (ids.length === 0 && !(f.view.screen.name === 'attract' && f.view.screen.asleep)) missing.push(f.id);
      for (const id of ids) if (!PROMPT_IDS.includes(id)) missing.push(`${f.id}: ${id}`);
    }
    expect(missing).toEqual([]);
  });

  it('says nothing on the start screen gone quiet (nobody is near), and something on every other', () => {
    expect(screenPrompt({ name: 'attract', asleep: true })).toBeUndefined();
    expect(screenPrompt({ name: 'attract' })).toBe('attract');
    expect(screenPrompt({ name: 'attract', staffCalled: true })).toBe('attract-staff-called');
  });

  it('has every phase of the fingerprint, document and face screens', () => {
    for (const phase of ['uploading', 'low-quality', 'duplicate', 'no-finger', 'fault', 'accepted', 'unreadable', 'proof-photo', 'proof-taking', 'staff-check'] as const) {
      expect(PROMPT_IDS).toContain(`fingerprints-${phase}`);
    }
    // "Place your finger" has one prompt per finger (below).
    for (const finger of FINGER_POSITIONS) expect(PROMPT_IDS).toContain(`fingerprints-place-${finger}`);
    for (const phase of ['scan', 'typing', 'reading'] as const) expect(PROMPT_IDS).toContain(`document-${phase}`);
    for (const phase of ['live', 'captured', 'fault'] as const) expect(PROMPT_IDS).toContain(`face-${phase}`);
  });

  it('puts an overlay’s prompt, then a dialog’s, before the screen’s', () => {
    expect(overPrompt({ overlay: { name: 'timeout-prompt', secondsLeft: 9 }, dialog: { name: 'redo-fingers', chosen: [] } })).toBe('overlay-timeout-prompt');
    expect(overPrompt({ dialog: { name: 'finger-exception', scope: 'finger' } })).toBe('dialog-finger-exception');
    expect(overPrompt({})).toBeUndefined();
  });

  it('is made of labels that exist, in both languages, each prompt a few sentences', () => {
    for (const id of PROMPT_IDS) {
      expect(VOICE_PROMPTS[id].length, id).toBeGreaterThan(0);
      for (const part of VOICE_PROMPTS[id]) {
        if (typeof part === 'string') expect(Object.keys(LABELS), `${id}: ${part}`).toContain(part);
        else expect(FINGER_POSITIONS, `${id}: ${part.finger}`).toContain(part.finger);
      }
      for (const lang of LANGS) {
        const text = promptText(id, lang);
        expect(text, `${id}.${lang}`).toMatch(/[.!?…:]$/);
        expect(text.length, `${id}.${lang}`).toBeLessThan(300);
      }
    }
  });

  it('speaks the screen’s own words', () => {
    expect(promptText('document-scan', 'vi')).toBe(`${LABELS.docTitle.vi}. ${LABELS.docScanHow.vi}`);
    expect(promptText('overlay-timeout-prompt', 'en')).toBe(`${LABELS.timeoutTitle.en} ${LABELS.voiceTimeout.en}`);
  });

  it('has one file per prompt and language', () => {
    const files = PROMPT_IDS.flatMap((id) => LANGS.map((lang) => promptFile(id, lang)));
    expect(new Set(files).size).toBe(PROMPT_IDS.length * LANGS.length);
    expect(promptFile('review', 'vi')).toBe('voice/review.vi.ogg');
  });
});

describe('the audio cache key', () => {
  const base = clipKey('Xin mời ký tên.', 'vi', 'eSpeak NG text-to-speech: 1.51');
  it('is the same for the same text, voice and synthesiser', () => {
    expect(clipKey('Xin mời ký tên.', 'vi', 'eSpeak NG text-to-speech: 1.51')).toBe(base);
  });
  it('changes with the text, the voice or the synthesiser’s version', () => {
    expect(clipKey('Xin mời ký tên!', 'vi', 'eSpeak NG text-to-speech: 1.51')).not.toBe(base);
    expect(clipKey('Xin mời ký tên.', 'vi-vn-x-south', 'eSpeak NG text-to-speech: 1.51')).not.toBe(base);
    expect(clipKey('Xin mời ký tên.', 'vi', 'eSpeak NG text-to-speech: 1.52')).not.toBe(base);
  });
  it('names a file safely', () => {
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(RENDER.wordsPerMinute).toBeLessThan(175); // slower than espeak-ng's default, for the elderly
  });
});

describe('the fingerprint screen’s prompt names the finger (a citizen who cannot read hears which)', () => {
  const place = (finger: (typeof FINGER_POSITIONS)[number], phase: 'place' | 'uploading' = 'place'): Screen => ({
    name: 'fingerprints',
    phase,
    finger,
    index: FINGER_POSITIONS.indexOf(finger),
    attempt: 1,
    maxAttempts: 3,
    progress: 0,
    threshold: 40,
    slots: FINGER_POSITIONS.map((position) => ({ position, status: 'pending' })),
    choices: ['exception'],
  });

  it('has a prompt for each of the ten fingers, in both languages, saying its name first', () => {
    for (const finger of FINGER_POSITIONS) {
      const id = screenPrompt(place(finger));
      expect(id, finger).toBe(`fingerprints-place-${finger}`);
      if (id === undefined) continue;
      expect(PROMPT_IDS).toContain(id);
      for (const lang of LANGS) {
        const text = promptText(id, lang);
        expect(text, `${finger}.${lang}`).toContain(FINGER_NAMES[finger][lang]);
        // The name before the instruction: an interrupted prompt (the finger placed) has said it.
        expect(text.indexOf(FINGER_NAMES[finger][lang]), `${finger}.${lang}`).toBeLessThan(text.indexOf(LABELS.fingerPlace[lang]));
      }
    }
  });

  it('changes when the finger changes, so the page plays it again', () => {
    expect(screenPrompt(place('right_thumb'))).not.toBe(screenPrompt(place('right_index')));
    // The other phases are the same whatever the finger.
    expect(screenPrompt(place('right_thumb', 'uploading'))).toBe(screenPrompt(place('left_little', 'uploading')));
  });

  it('tells the citizen to lift the finger while the print is read', () => {
    expect(promptText('fingerprints-uploading', 'en')).toMatch(/lift your finger/i);
    expect(promptText('fingerprints-uploading', 'vi')).toMatch(/nhấc ngón tay/);
  });
});

describe('a child’s application: the guardian signs', () => {
  it('the signature screen says, aloud too, that the guardian signs: not "Please sign your name"', () => {
    const id = screenPrompt({ name: 'signature', signatureRev: 0, signer: 'guardian' });
    expect(id).toBe('signature-guardian');
    if (id === undefined) return;
    for (const lang of LANGS) expect(promptText(id, lang)).toBe(`${LABELS.signatureGuardianTitle[lang]}. ${LABELS.signatureGuardianHint[lang]}`);
    expect(screenPrompt({ name: 'signature', signatureRev: 0 })).toBe('signature');
  });
});

describe('the receipt printer stopped during the session', () => {
  it('the review says, aloud too, that there will be no paper receipt and where the code will be', () => {
    const review: Screen = { name: 'review', document: { kind: 'cccd-qr', idNumber: '079203001234', flags: [] }, slots: [], photoRev: 1, signatureRev: 1 };
    expect(screenPrompt(review)).toBe('review');
    for (const printerProblem of ['paper-out', 'cover-open', 'not-ready'] as const) {
      const id = screenPrompt({ ...review, printerProblem });
      expect(id).not.toBe('review');
      if (id === undefined) throw new Error('no prompt for the review with the printer out');
      expect(promptText(id, 'vi')).toMatch(/biên nhận.*mã hồ sơ.*màn hình.*"Xác nhận và gửi"/i);
      expect(promptText(id, 'en')).toMatch(/receipt.*tracking code.*screen.*"Confirm and submit"/);
    }
  });

  it('the start screen says it aloud too, before anyone begins', () => {
    expect(screenPrompt({ name: 'attract' })).toBe('attract');
    const id = screenPrompt({ name: 'attract', printerProblem: 'paper-out' });
    if (id === undefined) throw new Error('no prompt for the start screen with the printer out');
    expect(id).not.toBe('attract');
    expect(promptText(id, 'vi')).toMatch(/biên nhận.*mã hồ sơ.*màn hình/i);
    expect(promptText(id, 'en')).toMatch(/receipt.*tracking code.*screen/);
    // Asleep, it says nothing; staff called, that comes first.
    expect(screenPrompt({ name: 'attract', printerProblem: 'paper-out', asleep: true })).toBeUndefined();
    expect(screenPrompt({ name: 'attract', printerProblem: 'paper-out', staffCalled: true })).toBe('attract-staff-called');
  });
});
