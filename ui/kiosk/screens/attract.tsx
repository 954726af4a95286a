import { LABELS, type LabelKey } from '../../common/i18n';
import { useKiosk, useTr } from '../context';
import { PrinterNotice } from '../parts/printer-notice';
import { ScreenFrame } from '../parts/screen';
import { ServiceCorner } from '../parts/service-corner';
import type { Screen } from '../../../domain/kiosk-channel/view-model';
import type { InvitationRefusal } from '../../../domain/application';

type AttractView = Extract<Screen, { name: 'attract' }>;

/** Why an invitation was refused, and what to do: said on the start screen in both languages. */
const INVITATION_REFUSED: Record<InvitationRefusal, LabelKey> = {
  malformed: 'invitationMalformed',
  'unknown-key': 'invitationUnknownKey',
  forged: 'invitationForged',
  expired: 'invitationExpired',
  'not-yet-valid': 'invitationNotYetValid',
  used: 'invitationUsed',
};

export function AttractScreen({ view }: { readonly view: AttractView }) {
  const { send } = useKiosk();
  const tr = useTr();
  return (
    // Quiet (nobody near for a while): the same screen, dark and calm, until the panel's PIR or a touch wakes it.
    <ScreenFrame name="attract" {...(view.asleep ? { class: 'asleep' } : {})}>
      <ServiceCorner />
      <div class={`attract${view.staffCalled || view.invitationRefused ? ' attract-compact' : ''}`} data-asleep={view.asleep ? 'true' : undefined}>
        {/* The panel's help button: the person who pressed it sees that it worked. */}
        {view.staffCalled ? (
          <div class="staff-called" role="status" data-testid="staff-called">
            <svg class="dialog-icon" viewBox="0 0 64 64" aria-hidden="true">
              <circle cx="32" cy="18" r="11" fill="#0047b3" />
              <path d="M12 60c0-13 9-22 20-22s20 9 20 22z" fill="#0047b3" />
            </svg>
            <div>
              <h2>{tr('staffCalledTitle')}</h2>
              <p>{tr('staffCalledText')}</p>
            </div>
          </div>
        ) : null}
        {/* No language is chosen yet: the refusal is said in both. */}
        {view.invitationRefused ? (
          <div class="invitation-refused" role="alert" data-testid="invitation-refused" data-reason={view.invitationRefused}>
            <h2>
              <span lang="vi">{LABELS.invitationRefusedTitle.vi}</span> / <span lang="en">{LABELS.invitationRefusedTitle.en}</span>
            </h2>
            <p lang="vi">{LABELS[INVITATION_REFUSED[view.invitationRefused]].vi}</p>
            <p lang="en">{LABELS[INVITATION_REFUSED[view.invitationRefused]].en}</p>
          </div>
        ) : null}
        <h1 class="attract-title">{tr('attractTitle')}</h1>
        {/* A refused invitation's reason takes the greeting's room: the way on stays in view. */}
        {view.invitationRefused ? null : <p class="lead">{tr('attractLead')}</p>}
        <button type="button" class="btn btn-primary btn-start" data-testid="start" onClick={() => send({ type: 'START' })}>
          <svg viewBox="0 0 48 48" class="start-icon" aria-hidden="true">
            <path d="M18 44V20a4 4 0 0 1 8 0v10l10 2c3 1 4 3 4 6l-2 6z" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round" />
            <path d="M10 14a12 12 0 0 1 24 0" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
          </svg>
          {tr('start')}
        </button>
        {view.invitationRefused ? null : <p class="hint">{tr('attractNeeds')}</p>}
        {/* Only on a quiet start screen: a notice of its own takes the room. */}
        {view.staffCalled || view.printerProblem || view.invitationRefused ? null : (
          <p class="hint" data-testid="attract-invitation">
            {tr('attractInvitation')}
          </p>
        )}
        {/* Told before starting, not found at the end: what the citizen will get instead of paper. */}
        {view.printerProblem ? <PrinterNotice problem={view.printerProblem} /> : null}
      </div>
    </ScreenFrame>
  );
}
