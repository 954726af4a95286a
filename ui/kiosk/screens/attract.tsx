import { useKiosk, useTr } from '../context';
import { ScreenFrame } from '../parts/screen';

export function AttractScreen() {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="attract">
      <div class="attract">
        <h1 class="attract-title">{tr('attractTitle')}</h1>
        <p class="lead">{tr('attractLead')}</p>
        <button type="button" class="btn btn-primary btn-start" data-testid="start" onClick={() => send({ type: 'START' })}>
          <svg viewBox="0 0 48 48" class="start-icon" aria-hidden="true">
            <path d="M18 44V20a4 4 0 0 1 8 0v10l10 2c3 1 4 3 4 6l-2 6z" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round" />
            <path d="M10 14a12 12 0 0 1 24 0" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
          </svg>
          {tr('start')}
        </button>
        <p class="hint">{tr('attractNeeds')}</p>
      </div>
    </ScreenFrame>
  );
}
