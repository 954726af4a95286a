import { useEffect, useState } from 'preact/hooks';
import { FINGER_NAMES, type LabelKey } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { HandDiagram } from '../parts/hand-diagram';
import { ScreenFrame } from '../parts/screen';
import { FingerExceptionDialog } from './finger-exception-dialog';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type FingerprintsView = Extract<Screen, { name: 'fingerprints' }>;

const PHASE_TEXT: Record<FingerprintsView['phase'], LabelKey> = {
  place: 'fingerPlace',
  uploading: 'fingerUploading',
  'low-quality': 'fingerLowQuality',
  duplicate: 'fingerDuplicate',
  'no-finger': 'fingerNoFinger',
  fault: 'fingerFault',
  accepted: 'fingerAccepted',
};

const PROBLEM_PHASES: ReadonlySet<FingerprintsView['phase']> = new Set(['low-quality', 'duplicate', 'no-finger', 'fault']);

export function FingerprintsScreen({ view }: { readonly view: FingerprintsView }) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const [askingWhy, setAskingWhy] = useState(false);
  // A new finger closes the question about the previous one.
  useEffect(() => setAskingWhy(false), [view.finger]);
  const pct = Math.round(Math.min(1, Math.max(0, view.progress)) * 100);
  const busy = view.phase === 'uploading' || view.phase === 'accepted';
  return (
    <ScreenFrame name="fingerprints" columns class="fingers-layout">
      <div class="col col-hands">
        <HandDiagram lang={lang} slots={view.slots} current={view.finger} />
      </div>
      <div class="col col-finger">
        <p class="kicker">
          {tr('fingerNow')} <span class="counter">{view.index + 1}/10</span>
        </p>
        <h1 class="finger-name" data-testid="finger-name">
          {FINGER_NAMES[view.finger][lang]}
        </h1>
        <p
          class={`finger-message${PROBLEM_PHASES.has(view.phase) ? ' finger-message-problem' : ''}${view.phase === 'accepted' ? ' finger-message-ok' : ''}`}
          data-testid="finger-message"
          data-phase={view.phase}
        >
          {view.message ? tr(view.message) : tr(PHASE_TEXT[view.phase])}
          {view.phase === 'duplicate' && view.duplicateOf ? (
            <>
              {' '}
              ({tr('sameAs')} {FINGER_NAMES[view.duplicateOf][lang]})
            </>
          ) : null}
        </p>
        <div
          class="progress"
          data-testid="progress-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <div class="progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <p class="finger-facts">
          <span data-testid="finger-attempt">
            {tr('attempt')} {view.attempt} {tr('of')} {view.maxAttempts}
          </span>
          {view.lastScore !== undefined ? (
            <span data-testid="finger-score">
              {' · '}
              {tr('quality')} {view.lastScore} ({tr('needed')} {view.threshold})
            </span>
          ) : null}
        </p>
        <div class="actions">
          <Button testid="finger-retry" disabled={busy} onClick={() => send({ type: 'FINGER_RETRY' })}>
            {tr('fingerRetry')}
          </Button>
          <Button testid="finger-exception" kind="secondary" disabled={busy} onClick={() => setAskingWhy(true)}>
            {tr('fingerException')}
          </Button>
        </div>
      </div>
      {askingWhy ? <FingerExceptionDialog finger={view.finger} onClose={() => setAskingWhy(false)} /> : null}
    </ScreenFrame>
  );
}
