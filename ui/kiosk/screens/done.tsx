import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type DoneView = Extract<Screen, { name: 'done' }>;

export function DoneScreen({ view }: { readonly view: DoneView }) {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="done" columns class="done-layout">
      <div class="col">
        <h1 class="screen-title done-title">
          <span class="tick" aria-hidden="true">✓</span> {tr('doneTitle')}
        </h1>
        <p class="kicker">{tr('trackingLabel')}</p>
        <p class="tracking-code" data-testid="tracking-code">
          {view.trackingCode}
        </p>
        {view.printed === true ? (
          <p class="lead" data-testid="printer-status" data-printed="true">
            {tr('printed')}
          </p>
        ) : view.printed === 'pending' ? (
          <p class="lead" data-testid="printer-status" data-printed="pending">
            {tr('printing')}
          </p>
        ) : (
          <Notice testid="printer-status">{view.printerMessage ? tr(view.printerMessage) : tr('notPrinted')}</Notice>
        )}
        <div class="actions">
          <Button testid="finish" huge onClick={() => send({ type: 'FINISH' })}>
            {tr('finish')}
          </Button>
        </div>
      </div>
      {view.receiptLines.length > 0 ? (
        <div class="col">
          <div class="receipt" data-testid="receipt">
            {view.receiptLines.map((line, i) => (
              <p key={i}>{line || '\u00a0'}</p>
            ))}
          </div>
        </div>
      ) : null}
    </ScreenFrame>
  );
}
