import { useTr } from '../context';
import { ScreenFrame } from '../parts/screen';

export function AbandonedScreen() {
  const tr = useTr();
  return (
    <ScreenFrame name="abandoned" title={tr('abandonedTitle')} class="center">
      <p class="lead big">{tr('abandonedText')}</p>
    </ScreenFrame>
  );
}
