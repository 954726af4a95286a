import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { ScreenFrame } from '../parts/screen';

/**
 * The iris step, shown only on a kiosk configured with an iris camera (flow.iris.enabled). A
 * placeholder until one is fitted: it says what to do and goes on.
 */
export function IrisScreen() {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="iris" title={tr('irisTitle')} class="iris">
      <svg class="iris-eye" viewBox="0 0 120 64" aria-hidden="true">
        <path d="M4 32C24 6 96 6 116 32 96 58 24 58 4 32z" fill="#fff" stroke="#00337f" stroke-width="5" />
        <circle cx="60" cy="32" r="18" fill="#0047b3" />
        <circle cx="60" cy="32" r="7" fill="#111827" />
      </svg>
      <p class="lead">{tr('irisHint')}</p>
      <div class="actions">
        <Button testid="iris-done" huge onClick={() => send({ type: 'IRIS_DONE' })}>
          {tr('continue')}
        </Button>
      </div>
    </ScreenFrame>
  );
}
