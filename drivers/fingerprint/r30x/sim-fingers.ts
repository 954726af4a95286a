/**
 * Role (r30x sim extra): What the simulated citizen puts on the glass next. A queue, so a test
 * or the kiosk's "simulate" panel can script a whole ten-print session: good fingers, a smudge,
 * a repeat.
 */
import { rng } from '../../prng';
import { PRESENTATION_MARGIN, type PrintVariant } from '../fingerprint-synth';

export type FingerChoice =
  /** A finger identified by its seed (the same seed is the same finger). */
  | { readonly kind: 'seed'; readonly seed: number; readonly variant?: PrintVariant }
  /** A light touch or a dirty window: an image with no ridges. */
  | { readonly kind: 'blank' }
  /** The finger presented last time, again (placed a little differently). */
  | { readonly kind: 'same-again' }
  /** Nobody touches the sensor until something else is presented. */
  | { readonly kind: 'none' };

export type Placed =
  | { readonly kind: 'finger'; readonly seed: number; readonly variant: PrintVariant; readonly dx: number; readonly dy: number; readonly noiseSeed: number }
  | { readonly kind: 'blank'; readonly noiseSeed: number };

/**
 * How many different fingers the cooperative crowd has: four citizens' worth, then the same
 * fingers come round again. Growing a finger's ridges costs ~0.2 s of CPU (fingerprint-synth.ts
 * keeps each one it grew), so an endless crowd of new fingers made every simulated citizen cost
 * two seconds of CPU before the kiosk did any work; forty keeps every finger within one
 * citizen's session (ten, plus retries) distinct.
 */
export const CROWD_FINGERS = 40;

export class FingerQueue {
  private readonly queue: FingerChoice[] = [];
  private last: { seed: number; variant: PrintVariant } | undefined;
  private readonly firstSeed: number;
  private nextSeed: number;
  private presentations = 0;
  private readonly jitter: () => number;

  constructor(
    private readonly citizen: 'cooperative' | 'absent',
    seed: number,
  ) {
    this.firstSeed = seed * 1000 + 1;
    this.nextSeed = this.firstSeed;
    this.jitter = rng(seed ^ 0x9e3779b9);
  }

  present(choice: FingerChoice): void {
    // "Nobody there" waits only until someone decides to present something.
    if (this.queue[0]?.kind === 'none') this.queue.shift();
    this.queue.push(choice);
  }

  get pending(): readonly FingerChoice[] {
    return this.queue;
  }

  /** The finger GenImg sees now, or undefined when the window is empty. */
  take(): Placed | undefined {
    const head = this.queue[0];
    if (head?.kind === 'none') return undefined;
    if (!head && this.citizen === 'absent') return undefined;
    this.queue.shift();
    this.presentations++;
    const noiseSeed = this.presentations * 7919 + this.nextSeed;
    if (head?.kind === 'blank') return { kind: 'blank', noiseSeed };
    let finger: { seed: number; variant: PrintVariant };
    if (head?.kind === 'seed') finger = { seed: head.seed, variant: head.variant ?? 'good' };
    else if (head?.kind === 'same-again' && this.last) finger = { ...this.last, variant: 'good' };
    else {
      finger = { seed: this.nextSeed, variant: 'good' };
      this.nextSeed = this.firstSeed + ((this.nextSeed + 1 - this.firstSeed) % CROWD_FINGERS);
    }
    this.last = finger;
    // People never put a finger down twice in the same place.
    const reach = PRESENTATION_MARGIN * 0.6;
    const dx = Math.round((this.jitter() * 2 - 1) * reach);
    const dy = Math.round((this.jitter() * 2 - 1) * reach);
    return { kind: 'finger', ...finger, dx, dy, noiseSeed };
  }
}
