import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { useCountdown } from '../parts/countdown';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type DoneView = Extract<Screen, { name: 'done' }>;

/** The seconds before the kiosk goes back to the start, shown so nobody is cut off mid-way. */
function ReturnsIn({ secondsLeft }: { readonly secondsLeft: number }) {
  const tr = useTr();
  const left = useCountdown(secondsLeft);
  return (
    <p class="hint returns-in" data-testid="done-returns-in">
      {tr('doneReturnsIn')} <strong data-testid="done-seconds-left">{left}</strong> {tr('seconds')}.
    </p>
  );
}

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
          <Notice testid="printer-status">{view.canReprint ? tr('printerBack') : view.printerMessage ? tr(view.printerMessage) : tr('notPrinted')}</Notice>
        )}
        {/* Under 6 nothing biometric was taken: where to finish comes before anything else to do. */}
        {view.finishAt ? (
          <p class="case-note" data-testid="done-finish-at">
            <strong>{tr('doneFinishAt')}</strong> {tr(view.finishAt)}
          </p>
        ) : null}
        <div class="actions">
          {view.canReprint ? (
            <Button testid="reprint" kind="secondary" onClick={() => send({ type: 'REPRINT' })}>
              {tr('reprint')}
            </Button>
          ) : null}
          <Button testid="finish" huge onClick={() => send({ type: 'FINISH' })}>
            {tr('finish')}
          </Button>
        </div>
        {view.secondsLeft !== undefined ? <ReturnsIn secondsLeft={view.secondsLeft} /> : null}
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
