import { EXCEPTION_REASON_NAMES, FINGER_NAMES } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import {
  FINGER_EXCEPTION_REASONS,
  FINGER_EXCEPTION_SCOPES,
  handOf,
  type FingerExceptionReason,
  type FingerExceptionScope,
  type FingerPosition,
} from '../../../domain/fingers';
import type { Dialog, FingerSlotView } from '../../../domain/kiosk-channel/view-model';

interface Props {
  readonly finger: FingerPosition;
  /** The fingers as they are now: "the whole hand" covers this one and those still to take on its hand. */
  readonly slots: readonly FingerSlotView[];
  /** The dialog as the controller keeps it: what has been chosen so far. */
  readonly dialog: Extract<Dialog, { name: 'finger-exception' }>;
}

/**
 * Why this finger can't be given, and whether the whole hand is affected. Confirming leads to
 * a photo of the hand (nothing is recorded before it), so the dialog says so.
 */
export function FingerExceptionDialog({ finger, slots, dialog }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const hand = handOf(finger);
  const handCount = slots.filter((s) => s.position === finger || (s.status === 'pending' && handOf(s.position) === hand)).length;
  // Every choice goes to the controller, which keeps it: a reloaded page shows the same choices.
  const { reason, scope } = dialog;
  const choose = (next: { readonly reason?: FingerExceptionReason; readonly scope: FingerExceptionScope }): void =>
    send({ type: 'DIALOG', dialog: { name: 'finger-exception', ...next } });
  const onClose = (): void => send({ type: 'DIALOG', dialog: null });
  return (
    <div class="overlay" data-testid="exception-dialog" role="dialog" aria-modal="true">
      <div class="dialog dialog-wide">
        <h2>
          {tr('exceptionTitle')} <span class="finger-name-inline">({FINGER_NAMES[finger][lang]})</span>
        </h2>
        <div class="choices" role="radiogroup">
          {FINGER_EXCEPTION_REASONS.map((r) => (
            <button
              type="button"
              key={r}
              role="radio"
              aria-checked={reason === r}
              class={`choice${reason === r ? ' choice-on' : ''}`}
              data-testid={`exception-reason-${r}`}
              onClick={() => choose({ reason: r, scope })}
            >
              {EXCEPTION_REASON_NAMES[r][lang]}
            </button>
          ))}
        </div>
        <h3>{tr('exceptionScopeTitle')}</h3>
        <div class="choices choices-2" role="radiogroup">
          {FINGER_EXCEPTION_SCOPES.map((s) => (
            <button
              type="button"
              key={s}
              role="radio"
              aria-checked={scope === s}
              class={`choice${scope === s ? ' choice-on' : ''}`}
              data-testid={`exception-scope-${s}`}
              onClick={() => choose({ ...(reason ? { reason } : {}), scope: s })}
            >
              {s === 'finger' ? tr('scopeFinger') : `${tr('scopeHand')} (${handCount} ${tr('fingersWord')})`}
            </button>
          ))}
        </div>
        <p class="dialog-note" data-testid="exception-next">
          {tr('exceptionNext')}
        </p>
        <div class="dialog-buttons">
          <Button testid="exception-cancel" kind="secondary" onClick={onClose}>
            {tr('cancel')}
          </Button>
          <Button
            testid="exception-submit"
            disabled={!reason}
            onClick={() => {
              if (!reason) return;
              onClose();
              send({ type: 'FINGER_EXCEPTION', reason, scope });
            }}
          >
            {tr('exceptionSubmit')}
          </Button>
        </div>
      </div>
    </div>
  );
}
