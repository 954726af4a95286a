import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { DocumentTable } from '../parts/document-table';
import { ScreenFrame } from '../parts/screen';
import type { DocumentCheck } from '../../../domain/documents';
import type { DocumentSummary } from '../../../domain/kiosk-channel/view-model';

interface Props {
  readonly document: DocumentSummary;
  readonly checks: readonly DocumentCheck[];
  /** Only the back was read: ask for the front's QR code too (the scanner is still listening). */
  readonly askFront?: boolean;
}

export function DocumentConfirmScreen({ document, checks, askFront }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const notes = checks.filter((c) => !c.ok && c.message);
  return (
    <ScreenFrame name="document-confirm" title={tr('docConfirmTitle')}>
      {askFront ? (
        <div class="ask-front" role="status" data-testid="doc-ask-front">
          <h2>{tr('docAskFrontTitle')}</h2>
          <p>{tr('docAskFrontText')}</p>
        </div>
      ) : null}
      <DocumentTable lang={lang} document={document} compact={askFront === true} />
      {notes.map((c) => (c.message ? <p class="doc-flags" key={c.name}>{tr(c.message)}</p> : null))}
      <div class="actions">
        <Button testid="doc-rescan" kind="secondary" onClick={() => send({ type: 'DOC_RESCAN' })}>
          {tr('docRescan')}
        </Button>
        <Button testid="doc-confirm" onClick={() => send({ type: 'DOC_CONFIRM' })}>
          {tr('docConfirm')}
        </Button>
      </div>
    </ScreenFrame>
  );
}
