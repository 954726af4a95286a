import { useTr } from '../context';
import { ScreenFrame } from '../parts/screen';
import { Spinner } from '../parts/spinner';

export function SubmittingScreen() {
  const tr = useTr();
  return (
    <ScreenFrame name="submitting">
      <div class="busy center">
        <Spinner />
        <p class="lead big">{tr('submitting')}</p>
      </div>
    </ScreenFrame>
  );
}
