import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Bilingual } from '../../../domain/language';

export function SubmitFailedScreen({ message }: { readonly message: Bilingual }) {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="submit-failed" title={tr('submitFailedTitle')} class="center">
      <Notice testid="submit-error">{tr(message)}</Notice>
      <div class="actions">
        <Button testid="submit-retry" huge onClick={() => send({ type: 'SUBMIT_RETRY' })}>
          {tr('submitRetry')}
        </Button>
        <Button testid="submit-help" kind="secondary" onClick={() => send({ type: 'HELP' })}>
          {tr('callStaff')}
        </Button>
      </div>
    </ScreenFrame>
  );
}
