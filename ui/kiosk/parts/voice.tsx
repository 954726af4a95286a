import { useCallback, useLayoutEffect, useRef } from 'preact/hooks';
import { overPrompt, promptFile, saidInBothLanguages, screenPrompt, type PromptId } from '../voice-prompts';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';

/**
 * The spoken prompt of what the page shows (issue #15): played when a screen, a phase, an
 * overlay or a dialog opens, through one <audio> element, so two prompts never overlap (a new one
 * cuts the last one short). Back from an overlay or a dialog to the same screen, its prompt is
 * not said again. Muted (the controller keeps it, for this citizen only), nothing plays.
 * The element's data attributes say what it is doing, for the technician and the tests:
 * data-prompt, data-lang, data-state (playing | ended | muted | blocked | idle), data-plays.
 */

interface Playing {
  readonly id: PromptId;
  readonly lang: Lang;
  readonly urls: readonly string[];
}

const other = (lang: Lang): Lang => (lang === 'vi' ? 'en' : 'vi');

function what(view: ViewModel | undefined): Playing | undefined {
  if (!view) return undefined;
  const over = overPrompt(view);
  const id = over ?? screenPrompt(view.screen);
  if (!id) return undefined;
  const langs = !over && saidInBothLanguages(view.screen) ? [view.lang, other(view.lang)] : [view.lang];
  return { id, lang: view.lang, urls: langs.map((l) => promptFile(id, l)) };
}

export interface Voice {
  /** The prompt of what is shown, from the start (the replay button). */
  replay(): void;
  readonly audioRef: { current: HTMLAudioElement | null };
}

export function useVoice(view: ViewModel | undefined): Voice {
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const current = what(view);
  const key = current ? `${current.id}|${current.lang}` : '';
  const muted = view?.voiceMuted === true;
  const currentRef = useRef<Playing | undefined>(current);
  currentRef.current = current;
  /** The screen prompt said last: coming back to it from an overlay or dialog does not say it again. */
  const spokenScreen = useRef('');

  const play = useCallback((p: Playing | undefined) => {
    const audio = audioRef.current;
    if (!audio) return;
    audio.pause();
    if (!p) {
      audio.dataset.state = 'idle';
      return;
    }
    let next = 0;
    const start = (): void => {
      const url = p.urls[next];
      if (url === undefined) return;
      audio.dataset.prompt = p.id;
      audio.dataset.lang = p.lang;
      audio.src = url;
      audio.play().catch((err: unknown) => {
        // Refused (a browser without the kiosk's autoplay flag) or cut short by the next prompt.
        if (err instanceof DOMException && err.name === 'NotAllowedError') audio.dataset.state = 'blocked';
      });
    };
    audio.onended = () => {
      next += 1;
      if (next < p.urls.length) start();
      else audio.dataset.state = 'ended';
    };
    start();
  }, []);

  // A layout effect, not useEffect: the sound stops (or the new prompt starts) as the view that
  // asks for it is drawn. With useEffect, the mute button showed pressed a frame or more before
  // the prompt stopped, and a busy page kept talking under a pressed "mute".
  useLayoutEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (muted) {
      audio.pause();
      audio.dataset.state = 'muted';
      spokenScreen.current = ''; // sound on again: the prompt of what is shown
      return;
    }
    const p = currentRef.current;
    const isScreen = p !== undefined && view !== undefined && overPrompt(view) === undefined;
    if (isScreen && key === spokenScreen.current) {
      // Back from an overlay or a dialog: its prompt stops, the screen's is not said again.
      if (audio.dataset.prompt !== p.id) {
        audio.pause();
        audio.dataset.state = 'idle';
      }
      return;
    }
    spokenScreen.current = isScreen ? key : p ? spokenScreen.current : '';
    play(p);
    // Only a new prompt (or mute) plays: a new view of the same prompt (a countdown) says nothing.
  }, [key, muted, play]);

  const replay = useCallback(() => play(currentRef.current), [play]);
  return { replay, audioRef };
}

/** The one element every prompt plays through. */
export function VoiceAudio({ voice }: { readonly voice: Voice }) {
  return (
    <audio
      ref={(el) => {
        voice.audioRef.current = el;
      }}
      data-testid="voice"
      preload="auto"
      onPlaying={(e) => {
        const a = e.currentTarget;
        a.dataset.state = 'playing';
        a.dataset.plays = String(Number(a.dataset.plays ?? '0') + 1);
      }}
    />
  );
}
