import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { CardIllustration } from '../parts/card-illustration';
import { Keypad } from '../parts/keypad';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import { Spinner } from '../parts/spinner';
import type { Bilingual } from '../../../domain/language';

interface Props {
  readonly phase: 'scan' | 'typing' | 'reading';
  readonly error?: Bilingual;
  /** While typing: the digits typed so far, as the controller kept them. */
  readonly digits?: string;
}

export function DocumentScreen({ phase, error, digits }: Props) {
  const { send } = useKiosk();
  const tr = useTr();
  if (phase === 'typing') {
    return (
      <ScreenFrame name="document" class="doc-typing">
        <div class="doc-typing-text">
          <h1 class="screen-title">{tr('docTypeTitle')}</h1>
          <p class="lead">{tr('docTypeHint')}</p>
          {error ? <Notice testid="doc-error">{tr(error)}</Notice> : null}
          <Button testid="doc-scan-instead" kind="secondary" onClick={() => send({ type: 'DOC_SCAN_INSTEAD' })}>
            {tr('docScanInstead')}
          </Button>
        </div>
        <Keypad
          initial={digits ?? ''}
          onChange={(typed) => send({ type: 'DOC_DIGITS', digits: typed })}
          onSubmit={(typed) => send({ type: 'DOC_TYPED', digits: typed })}
        />
      </ScreenFrame>
    );
  }
  return (
    <ScreenFrame name="document" title={tr('docTitle')}>
      {phase === 'reading' ? (
        <>
          <div class="busy" data-testid="doc-reading">
            <Spinner />
            <p class="lead">{tr('docReading')}</p>
          </div>
          {/* The card being read, as on the scan screen: what to hold still. */}
          <CardIllustration />
        </>
      ) : (
        <>
          <p class="lead">{tr('docScanHow')}</p>
          <CardIllustration />
          {error ? <Notice testid="doc-error">{tr(error)}</Notice> : null}
          <div class="actions">
            <Button testid="doc-type-number" kind="secondary" onClick={() => send({ type: 'DOC_TYPE_NUMBER' })}>
              {tr('docTypeNumber')}
            </Button>
          </div>
        </>
      )}
    </ScreenFrame>
  );
}
