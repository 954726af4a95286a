import { useState } from 'preact/hooks';
import { EXCEPTION_REASON_NAMES, FINGER_NAMES } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES, type FingerExceptionReason, type FingerExceptionScope, type FingerPosition } from '../../../domain/fingers';

interface Props {
  readonly finger: FingerPosition;
  readonly onClose: () => void;
}

/** Why this finger can't be given, and whether the whole hand is affected. */
export function FingerExceptionDialog({ finger, onClose }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const [reason, setReason] = useState<FingerExceptionReason | undefined>(undefined);
  const [scope, setScope] = useState<FingerExceptionScope>('finger');
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
              onClick={() => setReason(r)}
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
              onClick={() => setScope(s)}
            >
              {s === 'finger' ? tr('scopeFinger') : tr('scopeHand')}
            </button>
          ))}
        </div>
        <div class="dialog-buttons">
          <Button testid="exception-cancel" kind="secondary" onClick={onClose}>
            {tr('cancel')}
          </Button>
          <Button
            testid="exception-submit"
            disabled={!reason}
            onClick={() => {
              if (!reason) return;
              send({ type: 'FINGER_EXCEPTION', reason, scope });
              onClose();
            }}
          >
            {tr('exceptionSubmit')}
          </Button>
        </div>
      </div>
    </div>
  );
}
