import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { DocumentTable } from '../parts/document-table';
import { ScreenFrame } from '../parts/screen';
import type { DocumentCheck } from '../../../domain/documents';
import type { DocumentSummary } from '../../../domain/kiosk-channel/view-model';

interface Props {
  readonly document: DocumentSummary;
  readonly checks: readonly DocumentCheck[];
}

export function DocumentMismatchScreen({ document, checks }: Props) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const failed = checks.filter((c) => !c.ok);
  return (
    <ScreenFrame name="document-mismatch" title={tr('mismatchTitle')} class="mismatch">
      {/* What disagrees (one line per field) beside the card as read; the ways out below, always on screen. */}
      <div class="two-col mismatch-body">
        <div class="col">
          <h2>{tr('mismatchWhat')}</h2>
          <ul class="problems" data-testid="mismatch-list">
            {failed.map((c) => (
              <li key={c.name} data-testid={`check-${c.name}`}>
                {c.message ? tr(c.message) : c.name}
              </li>
            ))}
          </ul>
        </div>
        <div class="col">
          <DocumentTable compact lang={lang} document={document} />
        </div>
      </div>
      <div class="mismatch-actions">
        <h2>{tr('mismatchTodo')}</h2>
        <div class="actions">
          <Button testid="doc-rescan" onClick={() => send({ type: 'DOC_RESCAN' })}>
            {tr('docRescan')}
          </Button>
          <Button testid="doc-accept-mismatch" kind="secondary" onClick={() => send({ type: 'DOC_ACCEPT_MISMATCH' })}>
            {tr('mismatchContinue')}
          </Button>
          <Button testid="mismatch-help" kind="secondary" onClick={() => send({ type: 'HELP' })}>
            {tr('mismatchCallHelp')}
          </Button>
        </div>
      </div>
    </ScreenFrame>
  );
}
