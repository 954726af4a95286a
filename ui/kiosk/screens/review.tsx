import type { ComponentChildren } from 'preact';
import type { LabelKey } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { DocumentTable } from '../parts/document-table';
import { HandDiagram } from '../parts/hand-diagram';
import { PrinterNotice } from '../parts/printer-notice';
import { ScreenFrame } from '../parts/screen';
import { RedoFingersDialog } from './redo-fingers-dialog';
import type { Screen } from '../../../domain/kiosk-channel/view-model';
import type { ApplicationCase } from '../../../domain/application';

type ReviewView = Extract<Screen, { name: 'review' }>;
type EditStep = 'document' | 'fingerprints' | 'face' | 'signature';

const CASE_NAMES: Record<ApplicationCase, LabelKey> = {
  first: 'caseFirst',
  damaged: 'caseDamaged',
  expired: 'caseExpired',
  lost: 'caseLost',
  changed: 'caseChanged',
  other: 'caseOther',
};

const TITLES: Record<EditStep, LabelKey> = {
  document: 'reviewDocument',
  fingerprints: 'reviewFingers',
  face: 'reviewFace',
  signature: 'reviewSignature',
};

interface SectionProps {
  readonly step: EditStep;
  /** Instead of the step's own title (a child's application: the guardian's signature). */
  readonly title?: LabelKey;
  /** What "Change" does instead of going back to the step (the fingerprints: choose which). */
  readonly onEdit?: () => void;
  readonly children: ComponentChildren;
}

function Section({ step, title, onEdit, children }: SectionProps) {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    <section class={`review-section review-section-${step}`} data-testid={`review-${step}`}>
      <div class="review-head">
        <h2>{tr(title ?? TITLES[step])}</h2>
        <Button testid={`review-edit-${step}`} kind="secondary" onClick={onEdit ?? (() => send({ type: 'REVIEW_EDIT', step }))}>
          ✎ {tr('change')}
        </Button>
      </div>
      {children}
    </section>
  );
}

export function ReviewScreen({ view }: { readonly view: ReviewView }) {
  const { lang, send, dialog } = useKiosk();
  const tr = useTr();
  // Which fingers to redo: chosen in the controller, so a reload keeps the dialog and the choice.
  const choosing = dialog?.name === 'redo-fingers' ? dialog : undefined;
  return (
    <ScreenFrame name="review" title={tr('reviewTitle')} class="review">
      {/* Everything on one screen, no scrolling: the citizen confirms what they can see. */}
      <div class="review-grid">
        <div class="review-main">
          <Section step="document">
            {view.case ? (
              <p class="review-case" data-testid="review-case" data-case={view.case}>
                {tr('reviewCase')}: <strong>{tr(CASE_NAMES[view.case])}</strong>
              </p>
            ) : null}
            {/* Whose application it is; the card's other details were checked line by line on the document step. */}
            <DocumentTable compact identityOnly lang={lang} document={view.document} />
            {view.guardian ? (
              <p class="review-guardian" data-testid="review-guardian">
                {tr('reviewGuardian')}: <strong>{view.guardian.fullName ?? view.guardian.idNumber}</strong>
              </p>
            ) : null}
          </Section>
          {/* The printer stopped during the session: no paper receipt, said before they submit, in
              the room the short identity table leaves. */}
          {view.printerProblem ? <PrinterNotice problem={view.printerProblem} /> : null}
        </div>
        {/* Under 6 no biometrics are taken: said instead of empty hands and no photo. */}
        {view.noBiometrics ? (
          <p class="case-note review-no-biometrics" data-testid="review-no-biometrics">
            {tr('reviewNoBiometrics')}
          </p>
        ) : (
          // "Change" asks which fingers to take again: only those are retaken.
          <Section step="fingerprints" onEdit={() => send({ type: 'DIALOG', dialog: { name: 'redo-fingers', chosen: [] } })}>
            <HandDiagram lang={lang} slots={view.slots} />
          </Section>
        )}
        <div class="review-side">
          {view.noBiometrics ? null : (
            <Section step="face">
              <img class="review-face" data-testid="review-face-img" src={`/session/face.jpg?rev=${view.photoRev}`} alt={tr('reviewFace')} />
            </Section>
          )}
          {/* A child's application: the guardian signed, and the review says whose signature it is. */}
          <Section step="signature" {...(view.guardian ? { title: 'signatureGuardianTitle' as const } : {})}>
            <img
              class="review-signature"
              data-testid="review-signature-img"
              src={`/session/signature.png?rev=${view.signatureRev}`}
              alt={tr('reviewSignature')}
            />
          </Section>
          <div class="review-actions">
            <Button testid="review-confirm" huge onClick={() => send({ type: 'REVIEW_CONFIRM' })}>
              {tr('reviewConfirm')}
            </Button>
          </div>
        </div>
      </div>
      {choosing ? <RedoFingersDialog slots={view.slots} chosen={choosing.chosen} /> : null}
    </ScreenFrame>
  );
}
