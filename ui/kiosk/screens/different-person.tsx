import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { DocumentTable } from '../parts/document-table';
import { ScreenFrame } from '../parts/screen';
import type { DocumentSummary } from '../../../domain/kiosk-channel/view-model';

/**
 * Back from review, the card scanned is someone else's: a different person is a different
 * application. Say so, say what going on erases, and let them scan their own card instead. The
 * warning and both ways out sit beside the card (landscape) or above it (portrait), so a long
 * card never pushes the buttons off the screen.
 */
export function DifferentPersonScreen({ document }: { readonly document: DocumentSummary }) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="different-person" title={tr('differentPersonTitle')} class="different-person" columns>
      <div class="col">
        <p class="notice" role="alert" data-testid="different-person-warning">
          {tr('differentPersonText')}
        </p>
        <div class="actions actions-stack">
          <Button testid="scan-own-card" onClick={() => send({ type: 'DOC_RESCAN' })}>
            {tr('scanOwnCard')}
          </Button>
          <Button testid="start-over" kind="secondary" onClick={() => send({ type: 'START_OVER' })}>
            {tr('startOver')}
          </Button>
        </div>
      </div>
      <div class="col different-person-card">
        <p class="kicker">{tr('differentPersonCard')}</p>
        <DocumentTable compact lang={lang} document={document} />
      </div>
    </ScreenFrame>
  );
}
