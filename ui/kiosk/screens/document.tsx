import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { CardIllustration } from '../parts/card-illustration';
import { Keypad } from '../parts/keypad';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import { Spinner } from '../parts/spinner';
import type { Bilingual } from '../../../domain/language';
import type { ApplicationCase } from '../../../domain/application';

interface Props {
  readonly phase: 'scan' | 'typing' | 'reading';
  readonly error?: Bilingual;
  /** While typing: the digits typed so far, as the controller kept them. */
  readonly digits?: string;
  /** Why the citizen came: a lost or first card is typed, a damaged one is offered typing at once. */
  readonly kase?: ApplicationCase | undefined;
  /** From an invitation: the invited person's card is the one to scan. */
  readonly invited?: boolean | undefined;
}

export function DocumentScreen({ phase, error, digits, kase, invited }: Props) {
  const { send } = useKiosk();
  const tr = useTr();
  // A lost card, a first card or a damaged one: the number typed is the card's own (12 digits).
  const cardNumber = kase === 'lost' || kase === 'first' || kase === 'damaged';
  if (phase === 'typing') {
    return (
      <ScreenFrame name="document" class="doc-typing">
        <div class="doc-typing-text">
          <h1 class="screen-title">{tr(kase === 'first' ? 'docCaseFirstTitle' : cardNumber ? 'docCaseLostTitle' : 'docTypeTitle')}</h1>
          <p class="lead">{tr(kase === 'first' ? 'docCaseFirstHint' : cardNumber ? 'docCaseTypeHint' : 'docTypeHint')}</p>
          {kase === 'lost' ? (
            <p class="case-note" data-testid="doc-lost-note">
              {tr('docCaseLostNote')}
            </p>
          ) : null}
          {error ? <Notice testid="doc-error">{tr(error)}</Notice> : null}
          <Button testid="doc-scan-instead" kind="secondary" onClick={() => send({ type: 'DOC_SCAN_INSTEAD' })}>
            {tr('docScanInstead')}
          </Button>
        </div>
        <Keypad
          expect={cardNumber ? 12 : 9}
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
          {invited ? (
            <p class="case-note" data-testid="doc-invited">
              {tr('docInvited')}
            </p>
          ) : null}
          <p class="lead">{tr('docScanHow')}</p>
          {kase === 'damaged' ? (
            <p class="case-note" data-testid="doc-damaged-note">
              {tr('docCaseDamagedNote')}
            </p>
          ) : null}
          <CardIllustration />
          {error ? <Notice testid="doc-error">{tr(error)}</Notice> : null}
          <div class="actions">
            {/* A damaged card may not scan: typing is offered first, as the way out. */}
            <Button testid="doc-type-number" kind={kase === 'damaged' ? 'primary' : 'secondary'} onClick={() => send({ type: 'DOC_TYPE_NUMBER' })}>
              {tr(cardNumber ? 'docTypeInstead' : 'docTypeNumber')}
            </Button>
          </div>
        </>
      )}
    </ScreenFrame>
  );
}
