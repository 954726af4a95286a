import { useKiosk, useTr } from '../context';
import { Button } from './button';
import { useCountdown } from './countdown';

/** "Do you need more time?": the seconds left are the controller's, so a reload does not restart them. */
export function TimeoutOverlay({ secondsLeft }: { readonly secondsLeft: number }) {
  const { send } = useKiosk();
  const tr = useTr();
  const left = useCountdown(secondsLeft);
  return (
    <div class="overlay" data-testid="overlay-timeout" role="alertdialog" aria-modal="true">
      <div class="dialog">
        <h2>{tr('timeoutTitle')}</h2>
        <p>
          {tr('timeoutSeconds')}{' '}
          <strong class="countdown" data-testid="seconds-left">
            {left}
          </strong>{' '}
          {tr('seconds')}
        </p>
        <div class="dialog-buttons">
          <Button testid="still-here" huge onClick={() => send({ type: 'STILL_HERE' })}>
            {tr('stillHere')}
          </Button>
          <Button testid="quit" kind="secondary" onClick={() => send({ type: 'QUIT' })}>
            {tr('quit')}
          </Button>
        </div>
      </div>
    </div>
  );
}
