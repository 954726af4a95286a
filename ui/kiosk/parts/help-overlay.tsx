import { useTr, useKiosk } from '../context';
import { Button } from './button';

export function HelpOverlay() {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <div class="overlay" data-testid="overlay-help" role="dialog" aria-modal="true">
      <div class="dialog">
        <svg class="dialog-icon" viewBox="0 0 64 64" aria-hidden="true">
          <circle cx="32" cy="18" r="11" fill="#0047b3" />
          <path d="M12 60c0-13 9-22 20-22s20 9 20 22z" fill="#0047b3" />
        </svg>
        <h2>{tr('helpTitle')}</h2>
        <p>{tr('helpText')}</p>
        <Button testid="help-done" huge onClick={() => send({ type: 'HELP_DONE' })}>
          {tr('helpDone')}
        </Button>
        {/* A citizen who cannot go on must be able to leave without waiting for a timeout. */}
        <Button testid="help-quit" kind="quiet" onClick={() => send({ type: 'QUIT' })}>
          {tr('helpQuit')}
        </Button>
      </div>
    </div>
  );
}
