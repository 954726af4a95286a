import { FINGER_NAMES, LABELS, exceptionText } from '../../common/i18n';
import type { FingerPosition } from '../../../domain/fingers';
import type { FingerSlotView } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';

type Hand = 'left' | 'right';
type Digit = 'thumb' | 'index' | 'middle' | 'ring' | 'little';

/** Drawn as the citizen sees their own hands, backs up: left hand on the left, thumbs inward. */
const DIGITS_LEFT_TO_RIGHT: Record<Hand, readonly Digit[]> = {
  left: ['little', 'ring', 'middle', 'index', 'thumb'],
  right: ['thumb', 'index', 'middle', 'ring', 'little'],
};

/** A right hand drawn in a 300 × 320 box, shifted right by PAD so the thumb fits; the left hand is its mirror image. */
const PAD = 30;
const WIDTH = 300 + PAD;
const SHAPES: Record<Digit, { x: number; y: number; w: number; h: number; rotate: number }> = {
  thumb: { x: 46, y: 160, w: 46, h: 112, rotate: -38 },
  index: { x: 70, y: 42, w: 42, h: 140, rotate: -4 },
  middle: { x: 116, y: 20, w: 42, h: 160, rotate: 0 },
  ring: { x: 162, y: 38, w: 42, h: 144, rotate: 4 },
  little: { x: 207, y: 88, w: 38, h: 100, rotate: 10 },
};

function position(hand: Hand, digit: Digit): FingerPosition {
  return `${hand}_${digit}`;
}

function slotOf(slots: readonly FingerSlotView[], pos: FingerPosition): FingerSlotView | undefined {
  return slots.find((s) => s.position === pos);
}

type SlotState = 'current' | 'chosen' | 'pending' | 'exception' | 'weak' | 'captured';

function slotState(slot: FingerSlotView | undefined, current: boolean, chosen: boolean): SlotState {
  if (current) return 'current';
  if (chosen) return 'chosen';
  if (!slot || slot.status === 'pending') return 'pending';
  if (slot.status === 'exception') return 'exception';
  return slot.belowThreshold ? 'weak' : 'captured';
}

/**
 * What a slot says in words: taken (with a tick), that staff will check it (kept below the
 * threshold), its exception, or that it is still to come. Never the score: a number means
 * nothing to the citizen (staff see it in the packet).
 */
export function slotText(lang: Lang, slot: FingerSlotView | undefined): string {
  if (!slot || slot.status === 'pending') return LABELS.slotPending[lang];
  if (slot.status === 'exception') return exceptionText(lang, slot.reason);
  return slot.belowThreshold ? LABELS.slotToCheck[lang] : `✓ ${LABELS.slotTaken[lang]}`;
}

function badgeText(slot: FingerSlotView | undefined): string {
  if (!slot || slot.status === 'pending') return '';
  if (slot.status === 'exception') return '✕';
  return slot.belowThreshold ? '!' : '✓';
}

interface HandProps {
  readonly hand: Hand;
  readonly slots: readonly FingerSlotView[];
  readonly current?: FingerPosition;
  readonly chosen?: ReadonlySet<FingerPosition>;
  readonly onChoose?: (finger: FingerPosition) => void;
}

function HandSvg({ hand, slots, current, chosen, onChoose }: HandProps) {
  const mirror = hand === 'left';
  const digits: readonly Digit[] = ['thumb', 'index', 'middle', 'ring', 'little'];
  return (
    <svg class="hand" viewBox={`0 0 ${WIDTH} 320`} role="img" aria-hidden="true">
      <g transform={mirror ? `translate(${WIDTH} 0) scale(-1 1) translate(${PAD} 0)` : `translate(${PAD} 0)`}>
        {digits.map((d) => {
          const s = SHAPES[d];
          const pos = position(hand, d);
          return (
            <rect
              key={d}
              class={`finger finger-${slotState(slotOf(slots, pos), pos === current, chosen?.has(pos) ?? false)}`}
              {...(onChoose ? { onClick: () => onChoose(pos) } : {})}
              x={s.x}
              y={s.y}
              width={s.w}
              height={s.h}
              rx={s.w / 2}
              transform={`rotate(${s.rotate} ${s.x + s.w / 2} ${s.y + s.h})`}
            />
          );
        })}
        <rect class="palm" x="62" y="160" width="188" height="150" rx="44" />
      </g>
      {digits.map((d) => {
        const s = SHAPES[d];
        const pos = position(hand, d);
        const text = badgeText(slotOf(slots, pos));
        if (!text) return null;
        const cx = s.x + s.w / 2 + (d === 'thumb' ? -30 : 0);
        const cy = s.y + (d === 'thumb' ? 40 : 30);
        const x = mirror ? WIDTH - (cx + PAD) : cx + PAD;
        return (
          <text key={d} class="finger-badge" x={x} y={cy} text-anchor="middle" dominant-baseline="central">
            {text}
          </text>
        );
      })}
    </svg>
  );
}

interface Props {
  readonly lang: Lang;
  readonly slots: readonly FingerSlotView[];
  readonly current?: FingerPosition;
  /** Choosing fingers (to take again from review): the ones chosen so far, and what a tap does. */
  readonly chosen?: ReadonlySet<FingerPosition>;
  readonly onChoose?: (finger: FingerPosition) => void;
}

/**
 * Both hands with every finger's state, and the same in words underneath (for tests and readers).
 * The score of a captured finger is kept in `data-score` for staff tools and tests, never shown.
 */
export function HandDiagram({ lang, slots, current, chosen, onChoose }: Props) {
  const hands: readonly Hand[] = ['left', 'right'];
  return (
    <div class={`hands${onChoose ? ' hands-choosing' : ''}`}>
      {hands.map((hand) => (
        <figure class="hand-col" key={hand}>
          <figcaption class="hand-title">{hand === 'left' ? LABELS.leftHand[lang] : LABELS.rightHand[lang]}</figcaption>
          <HandSvg hand={hand} slots={slots} current={current} chosen={chosen} onChoose={onChoose} />
          <ul class="slots">
            {(hand === 'left' ? [...DIGITS_LEFT_TO_RIGHT.left].reverse() : DIGITS_LEFT_TO_RIGHT.right).map((d) => {
              const pos = position(hand, d);
              const slot = slotOf(slots, pos);
              const isChosen = chosen?.has(pos) ?? false;
              const body = (
                <>
                  <span class="slot-name">{FINGER_NAMES[pos][lang]}</span>
                  <span class="slot-value">{slotText(lang, slot)}</span>
                </>
              );
              return (
                <li
                  key={pos}
                  class={`slot slot-${slotState(slot, pos === current, isChosen)}`}
                  data-testid={`finger-slot-${pos}`}
                  data-status={slot?.status ?? 'pending'}
                  {...(slot?.status === 'captured' ? { 'data-score': String(slot.score), 'data-below-threshold': String(slot.belowThreshold) } : {})}
                >
                  {onChoose ? (
                    <button type="button" class="slot-choose" role="checkbox" aria-checked={isChosen} data-testid={`redo-finger-${pos}`} onClick={() => onChoose(pos)}>
                      {body}
                    </button>
                  ) : (
                    body
                  )}
                </li>
              );
            })}
          </ul>
        </figure>
      ))}
    </div>
  );
}
