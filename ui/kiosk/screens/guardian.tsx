import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { CardIllustration } from '../parts/card-illustration';
import { DocumentTable } from '../parts/document-table';
import { Notice } from '../parts/notice';
import { ScreenFrame } from '../parts/screen';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type View = Extract<Screen, { name: 'guardian' }>;

/**
 * A child under 14 (Luật Căn cước 2023): the guardian scans their own card, checks it, and will
 * sign. Whose application it is stays on the screen, so nobody mistakes whose card goes next.
 */
export function GuardianScreen({ view }: { readonly view: View }) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  const child = (
    <p class="guardian-child" data-testid="guardian-child">
      {tr('guardianChildIs')}: <strong>{view.child.fullName ?? ''}</strong>
      {view.child.age !== undefined ? ` (${view.child.age} ${tr('guardianAge')})` : ''}
    </p>
  );
  if (view.phase === 'confirm' && view.guardian) {
    return (
      <ScreenFrame name="guardian" title={tr('guardianConfirmTitle')} class="guardian">
        {child}
        <DocumentTable lang={lang} document={view.guardian} compact />
        <p class="lead">{tr('guardianSigns')}</p>
        <div class="actions">
          <Button testid="guardian-rescan" kind="secondary" onClick={() => send({ type: 'GUARDIAN_RESCAN' })}>
            {tr('docRescan')}
          </Button>
          <Button testid="guardian-confirm" onClick={() => send({ type: 'GUARDIAN_CONFIRM' })}>
            {tr('docConfirm')}
          </Button>
        </div>
      </ScreenFrame>
    );
  }
  return (
    <ScreenFrame name="guardian" title={tr('guardianTitle')} class="guardian">
      {child}
      <p class="lead">{tr('guardianWhy')}</p>
      {view.noBiometrics ? (
        <p class="guardian-note" data-testid="guardian-no-biometrics">
          {tr('guardianNoBiometrics')}
        </p>
      ) : null}
      {view.error ? <Notice testid="guardian-error">{tr(view.error)}</Notice> : null}
      <CardIllustration />
    </ScreenFrame>
  );
}
