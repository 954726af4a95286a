import { useEffect, useState } from 'preact/hooks';
import { useKiosk, useTr } from '../context';
import { Button } from './button';

/** Counts down locally between pushes so the number moves even if the controller pushes once. */
export function TimeoutOverlay({ secondsLeft }: { readonly secondsLeft: number }) {
  const { send } = useKiosk();
  const tr = useTr();
  const [left, setLeft] = useState(secondsLeft);
  useEffect(() => {
    setLeft(secondsLeft);
    const started = Date.now();
    const id = setInterval(() => {
      setLeft(Math.max(0, secondsLeft - Math.floor((Date.now() - started) / 1000)));
    }, 250);
    return () => clearInterval(id);
  }, [secondsLeft]);
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
