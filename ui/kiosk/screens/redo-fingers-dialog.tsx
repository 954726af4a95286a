import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { HandDiagram } from '../parts/hand-diagram';
import { FINGER_POSITIONS, type FingerPosition } from '../../../domain/fingers';
import type { FingerSlotView } from '../../../domain/kiosk-channel/view-model';

interface Props {
  readonly slots: readonly FingerSlotView[];
  /** The fingers chosen so far, as the controller keeps them. */
  readonly chosen: readonly FingerPosition[];
}

/**
 * From review: which fingers to take again. Only those are asked for; every other finger, and
 * every exception on them, stays as it is. Cancel leaves everything as it was.
 */
export function RedoFingersDialog({ slots, chosen: chosenList }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const chosen: ReadonlySet<FingerPosition> = new Set(chosenList);
  const setChosen = (next: ReadonlySet<FingerPosition>): void =>
    send({ type: 'DIALOG', dialog: { name: 'redo-fingers', chosen: FINGER_POSITIONS.filter((p) => next.has(p)) } });
  const toggle = (finger: FingerPosition): void => {
    const next = new Set(chosen);
    if (!next.delete(finger)) next.add(finger);
    setChosen(next);
  };
  const onClose = (): void => send({ type: 'DIALOG', dialog: null });
  return (
    <div class="overlay" data-testid="redo-dialog" role="dialog" aria-modal="true">
      <div class="dialog dialog-wide redo-dialog">
        <h2>{tr('redoTitle')}</h2>
        <p class="dialog-note">{tr('redoHint')}</p>
        <HandDiagram lang={lang} slots={slots} chosen={chosen} onChoose={toggle} />
        <div class="dialog-buttons">
          <Button testid="redo-cancel" kind="secondary" onClick={onClose}>
            {tr('cancel')}
          </Button>
          <Button testid="redo-all" kind="secondary" onClick={() => setChosen(new Set(FINGER_POSITIONS))}>
            {tr('redoAll')}
          </Button>
          <Button
            testid="redo-go"
            disabled={chosen.size === 0}
            onClick={() => {
              // In the kiosk's own order, so the fingers are asked for as they always are.
              const fingers = FINGER_POSITIONS.filter((p) => chosen.has(p));
              if (fingers.length === 0) return;
              onClose();
              send({ type: 'REVIEW_REDO_FINGERS', fingers });
            }}
          >
            {tr('redoGo')}
            {chosen.size > 0 ? ` (${chosen.size})` : ''}
          </Button>
        </div>
      </div>
    </div>
  );
}
