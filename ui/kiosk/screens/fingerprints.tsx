import { EXCEPTION_REASON_NAMES, FINGER_NAMES, type LabelKey } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button, type ButtonKind } from '../parts/button';
import { HandDiagram } from '../parts/hand-diagram';
import { ScreenFrame } from '../parts/screen';
import { FingerExceptionDialog } from './finger-exception-dialog';
import type { Hand } from '../../../domain/fingers';
import type { FingerChoice, FingerPhase, Screen } from '../../../domain/kiosk-channel/view-model';

type FingerprintsView = Extract<Screen, { name: 'fingerprints' }>;

const PHASE_TEXT: Record<FingerPhase, LabelKey> = {
  place: 'fingerPlace',
  uploading: 'fingerUploading',
  'low-quality': 'fingerLowQuality',
  duplicate: 'fingerDuplicate',
  'no-finger': 'fingerNoFinger',
  fault: 'fingerFault',
  accepted: 'fingerAccepted',
  unreadable: 'fingerUnreadable',
  'proof-photo': 'proofAsk',
  'proof-taking': 'proofTaking',
  'staff-check': 'staffCheck',
  'officer-check': 'officerCheck',
};

const PROBLEM_PHASES: ReadonlySet<FingerPhase> = new Set(['low-quality', 'duplicate', 'no-finger', 'fault', 'unreadable']);
const PROOF_PHASES: ReadonlySet<FingerPhase> = new Set(['proof-photo', 'proof-taking', 'officer-check']);
/** Phases where the sensor is (or was just) at work: its progress bar means something. */
const SENSOR_PHASES: ReadonlySet<FingerPhase> = new Set(['place', 'uploading', 'low-quality', 'duplicate', 'no-finger', 'fault', 'accepted']);

/** Each choice the controller offers, as a button: its words, its weight, and what it sends. */
const CHOICE_BUTTON: Record<FingerChoice, { readonly label: LabelKey; readonly kind: ButtonKind; readonly testid: string }> = {
  retry: { label: 'fingerRetry', kind: 'primary', testid: 'finger-retry' },
  keep: { label: 'fingerKeep', kind: 'primary', testid: 'finger-keep' },
  exception: { label: 'fingerException', kind: 'secondary', testid: 'finger-exception' },
  'take-photo': { label: 'proofTake', kind: 'primary', testid: 'proof-take' },
  'cancel-exception': { label: 'cancel', kind: 'secondary', testid: 'proof-cancel' },
  'cancel-redo': { label: 'fingerRedoCancel', kind: 'quiet', testid: 'finger-redo-cancel' },
};

export function FingerprintsScreen({ view }: { readonly view: FingerprintsView }) {
  const { lang, send, dialog } = useKiosk();
  const tr = useTr();
  // The question why this finger can't be given: open in the controller (a reload keeps it), which
  // closes it when the finger changes or the choice is no longer offered.
  const asking = dialog?.name === 'finger-exception' ? dialog : undefined;
  const proof = PROOF_PHASES.has(view.phase);
  const current = view.slots.find((s) => s.position === view.finger);
  const wellDone = view.phase === 'accepted' && current?.status === 'captured' && !current.belowThreshold;
  const tone = PROBLEM_PHASES.has(view.phase) ? ' finger-message-problem' : wellDone ? ' finger-message-ok' : '';
  // Advice with two ways on runs to several lines: a size that keeps the buttons on screen.
  const long = view.message !== undefined && view.message[lang].length > 110 ? ' finger-message-long' : '';
  const pct = Math.round(Math.min(1, Math.max(0, view.progress)) * 100);

  const press = (choice: FingerChoice): void => {
    switch (choice) {
      case 'retry':
        return send({ type: 'FINGER_RETRY' });
      case 'keep':
        return send({ type: 'FINGER_KEEP' });
      case 'exception':
        return send({ type: 'DIALOG', dialog: { name: 'finger-exception', scope: 'finger' } });
      case 'take-photo':
        return send({ type: 'FINGER_PROOF_PHOTO' });
      case 'cancel-exception':
        return send({ type: 'FINGER_EXCEPTION_CANCEL' });
      case 'cancel-redo':
        return send({ type: 'FINGER_REDO_CANCEL' });
    }
  };

  const message = (
    <p class={`finger-message${tone}${long}`} data-testid="finger-message" data-phase={view.phase}>
      {view.message ? tr(view.message) : tr(PHASE_TEXT[view.phase])}
      {view.phase === 'duplicate' && view.duplicateOf ? (
        <>
          {' '}
          ({tr('sameAs')} {FINGER_NAMES[view.duplicateOf][lang]})
        </>
      ) : null}
    </p>
  );
  const buttons = (
    <div class="actions finger-actions">
      {view.choices.map((choice) => {
        const b = CHOICE_BUTTON[choice];
        return (
          <Button key={choice} testid={b.testid} kind={b.kind} onClick={() => press(choice)}>
            {tr(b.label)}
          </Button>
        );
      })}
    </div>
  );

  if (proof && view.exception) {
    const hand = view.exception.hand;
    return (
      <ScreenFrame name="fingerprints" columns class="fingers-layout fingers-proof">
        <div class="col col-hands">
          {view.phase === 'officer-check' ? <OfficerCheck /> : <HandCamera hand={hand} />}
        </div>
        <div class="col col-finger">
          <p class="kicker" data-testid="proof-declared">
            {tr('proofDeclared')} <strong>{EXCEPTION_REASON_NAMES[view.exception.reason][lang]}</strong>
            {' — '}
            {view.exception.scope === 'hand' ? tr('scopeHand') : FINGER_NAMES[view.finger][lang]}
          </p>
          <h1 class="finger-name" data-testid="proof-title">
            {tr(view.phase === 'officer-check' ? 'officerCheckTitle' : hand === 'left' ? 'proofTitleLeft' : 'proofTitleRight')}
          </h1>
          {message}
          {buttons}
        </div>
      </ScreenFrame>
    );
  }

  return (
    <ScreenFrame name="fingerprints" columns class="fingers-layout">
      <div class="col col-hands">
        {/* On "well done" the finger lit is the next one: the citizen can move to it during the tick. */}
        <HandDiagram lang={lang} slots={view.slots} current={view.phase === 'accepted' ? view.nextFinger : view.phase === 'staff-check' ? undefined : view.finger} />
      </div>
      <div class="col col-finger">
        <p class="kicker" data-testid="finger-kicker">
          {tr(wellDone ? 'fingerJustTaken' : 'fingerNow')} <span class="counter">{view.index + 1}/10</span>
        </p>
        <h1 class="finger-name" data-testid="finger-name">
          {FINGER_NAMES[view.finger][lang]}
        </h1>
        {message}
        {view.phase === 'accepted' && view.nextFinger ? (
          <p class="finger-next" data-testid="finger-next" data-finger={view.nextFinger}>
            {tr('fingerNext')} <strong class="finger-name-inline">{FINGER_NAMES[view.nextFinger][lang]}</strong>
          </p>
        ) : null}
        {SENSOR_PHASES.has(view.phase) ? (
          <div class="progress" data-testid="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div class="progress-fill" style={{ width: `${pct}%` }} />
          </div>
        ) : null}
        {view.phase !== 'staff-check' && view.phase !== 'unreadable' ? (
          // How far along, never the score: the citizen is told ✓ or what to do, staff see numbers.
          <p class="finger-facts" data-testid="finger-attempt">
            {tr('attempt')} {view.attempt} {tr('of')} {view.maxAttempts}
          </p>
        ) : null}
        {buttons}
      </div>
      {asking ? <FingerExceptionDialog finger={view.finger} slots={view.slots} dialog={asking} /> : null}
    </ScreenFrame>
  );
}

/** The photo of the hand is with the hall officer (issue #14): no camera now, a sign of waiting. */
function OfficerCheck() {
  return (
    <div class="officer-check" data-testid="officer-check">
      <svg class="officer-check-icon" viewBox="0 0 120 120" aria-hidden="true">
        <circle cx="60" cy="60" r="52" fill="none" stroke="currentColor" stroke-width="8" />
        <path d="M60 28 V60 L82 74" fill="none" stroke="currentColor" stroke-width="8" stroke-linecap="round" />
      </svg>
    </div>
  );
}

/** The live camera, with an outline of an open hand to hold up to it. */
function HandCamera({ hand }: { readonly hand: Hand }) {
  // The preview is not mirrored: a right hand held palm-on shows its thumb towards the image's
  // right. The outline is drawn so; the left hand is its mirror image.
  const mirror = hand === 'left' ? 'translate(400 0) scale(-1 1)' : undefined;
  return (
    <div class="preview proof-preview" data-testid="proof-camera">
      <img class="preview-img" data-testid="proof-preview" src="/camera/preview.mjpg" alt="" />
      <svg class="oval" viewBox="0 0 400 300" preserveAspectRatio="xMidYMid meet" aria-hidden="true">
        <g transform={mirror} fill="none" stroke="#ffffff" stroke-width="4" stroke-dasharray="10 6">
          <rect x="146" y="136" width="120" height="130" rx="38" />
          <rect x="150" y="80" width="24" height="72" rx="12" transform="rotate(-8 162 152)" />
          <rect x="178" y="48" width="26" height="100" rx="13" />
          <rect x="208" y="34" width="26" height="112" rx="13" />
          <rect x="238" y="48" width="26" height="100" rx="13" />
          <rect x="262" y="150" width="28" height="80" rx="14" transform="rotate(38 276 230)" />
        </g>
      </svg>
    </div>
  );
}
