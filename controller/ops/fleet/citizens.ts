import type { KioskRuntime } from '../../enrollment/runtime';
import type { Intent } from '../../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';

/**
 * Simulated citizens at one simulated kiosk of the fleet (issue #14): each session a new person
 * with a plan (some ask for help on a step, some declare a finger that cannot be taken, a few
 * leave halfway), played as intents into the kiosk's real runtime, as the page would send them,
 * after a think time. Waiting for an officer (the help screen, the photo being checked) they
 * wait, so the console has work.
 */

export interface CitizenPlan {
  /** Ask for help on this screen (once). */
  readonly helpOn?: string;
  /** Declare this finger (0–9) as cannot be taken. */
  readonly exceptionFinger?: number;
  /** Leave ("Quit") on this screen. */
  readonly quitOn?: string;
}

export interface CitizenOptions {
  /** Between a citizen's taps. */
  readonly thinkMs: number;
  /** Between one citizen leaving and the next starting. */
  readonly gapMs: number;
  readonly random: () => number;
  /** The next citizen's plan (default: a random one). */
  readonly plan?: () => CitizenPlan;
  /** How long a citizen waits on the help screen before staff at the kiosk answer it there ("Continue"), if no officer does. */
  readonly helpPatienceMs?: number;
}

const HELP_STEPS = ['document-confirm', 'fingerprints', 'face', 'signature', 'review'];

export function randomPlan(random: () => number): CitizenPlan {
  const r = random();
  return {
    ...(r < 0.25 ? { helpOn: HELP_STEPS[Math.floor(random() * HELP_STEPS.length)] ?? 'face' } : {}),
    ...(random() < 0.2 ? { exceptionFinger: Math.floor(random() * 10) } : {}),
    ...(random() < 0.05 ? { quitOn: 'face' } : {}),
  };
}

export function driveCitizens(runtime: KioskRuntime, o: CitizenOptions): { stop(): void } {
  let plan: CitizenPlan = {};
  let helped = false;
  let declared = false;
  let quit = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const jitter = (ms: number): number => Math.round(ms * (0.5 + o.random()));
  const send = (intent: Intent): void => void runtime.send(intent);

  const next = (v: ViewModel): { readonly intent: Intent; readonly ms: number } | undefined => {
    const s = v.screen;
    if (v.overlay?.name === 'timeout-prompt') return { intent: { type: 'STILL_HERE' }, ms: o.thinkMs };
    // Nobody answered from the console: staff at the kiosk come in the end.
    if (v.overlay?.name === 'help') return { intent: { type: 'HELP_DONE' }, ms: o.helpPatienceMs ?? o.gapMs * 10 };
    if (s.name === 'attract') return { intent: { type: 'START' }, ms: jitter(o.gapMs) };
    if (s.name === 'language') return { intent: { type: 'SET_LANGUAGE', lang: 'vi' }, ms: jitter(o.thinkMs) };
    if (plan.helpOn === s.name && !helped) return { intent: { type: 'HELP' }, ms: jitter(o.thinkMs) };
    if (plan.quitOn === s.name && !quit) return { intent: { type: 'QUIT' }, ms: jitter(o.thinkMs) };
    switch (s.name) {
      // Why they came (issue #15): a card that expired, the commonest case in a campaign.
      case 'case':
        return s.phase === 'changes' ? { intent: { type: 'CASE_CHANGES', changes: ['address'] }, ms: jitter(o.thinkMs) } : { intent: { type: 'CASE_CHOOSE', case: 'expired' }, ms: jitter(o.thinkMs) };
      case 'document-confirm':
        return { intent: { type: 'DOC_CONFIRM' }, ms: jitter(o.thinkMs) };
      case 'document-mismatch':
        return { intent: { type: 'DOC_ACCEPT_MISMATCH' }, ms: jitter(o.thinkMs) };
      case 'different-person':
        return { intent: { type: 'START_OVER' }, ms: jitter(o.thinkMs) };
      case 'fingerprints':
        // Said before the reader answers: at once.
        if (s.phase === 'place' && plan.exceptionFinger === s.index && !declared) return { intent: { type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' }, ms: 0 };
        if (s.phase === 'proof-photo') return { intent: { type: 'FINGER_PROOF_PHOTO' }, ms: jitter(o.thinkMs) };
        if (s.phase === 'low-quality' || s.phase === 'no-finger' || s.phase === 'duplicate' || s.phase === 'fault') return { intent: { type: 'FINGER_RETRY' }, ms: jitter(o.thinkMs) };
        if (s.phase === 'unreadable') return { intent: s.choices.includes('keep') ? { type: 'FINGER_KEEP' } : { type: 'FINGER_RETRY' }, ms: jitter(o.thinkMs) };
        return undefined;
      case 'face':
        if (s.phase === 'captured') return { intent: { type: 'FACE_ACCEPT' }, ms: jitter(o.thinkMs) };
        if (s.phase === 'fault') return { intent: { type: 'FACE_RETAKE' }, ms: jitter(o.thinkMs) };
        return undefined;
      case 'signature':
        return { intent: { type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 10, y: 20, t: 0 }, { x: 200, y: 60, t: 200 }, { x: 400, y: 30, t: 400 }]], box: { width: 600, height: 200 } }, ms: jitter(o.thinkMs * 2) };
      case 'review':
        return { intent: { type: 'REVIEW_CONFIRM' }, ms: jitter(o.thinkMs) };
      case 'submit-failed':
        return { intent: { type: 'SUBMIT_RETRY' }, ms: jitter(o.thinkMs) };
      case 'done':
        return { intent: { type: 'FINISH' }, ms: jitter(o.thinkMs * 2) };
      default:
        return undefined;
    }
  };

  const react = (v: ViewModel): void => {
    clearTimeout(timer);
    if (stopped) return;
    if (v.screen.name === 'attract' || v.screen.name === 'abandoned') {
      plan = (o.plan ?? (() => randomPlan(o.random)))();
      helped = false;
      declared = false;
      quit = false;
    }
    const step = next(v);
    if (!step) return;
    timer = setTimeout(() => {
      if (stopped) return;
      if (step.intent.type === 'HELP') helped = true;
      if (step.intent.type === 'FINGER_EXCEPTION') declared = true;
      if (step.intent.type === 'QUIT') quit = true;
      send(step.intent);
    }, step.ms);
  };
  const off = runtime.onView(react);
  react(runtime.view());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      off();
    },
  };
}
