import { useKiosk, useTr } from '../context';
import { Button } from '../parts/button';
import { DocumentTable } from '../parts/document-table';
import { ScreenFrame } from '../parts/screen';
import type { Screen } from '../../../domain/kiosk-channel/view-model';

type View = Extract<Screen, { name: 'invitation-mismatch' }>;

/**
 * The session came from an invitation, and the card scanned is someone else's: say whose number
 * the invitation is for (its last digits), show the card read, and the two ways on.
 */
export function InvitationMismatchScreen({ view }: { readonly view: View }) {
  const { lang, send } = useKiosk();
  const tr = useTr();
  return (
    <ScreenFrame name="invitation-mismatch" title={tr('notInvitedTitle')} class="different-person" columns>
      <div class="col">
        <p class="notice" role="alert" data-testid="not-invited-warning">
          {tr('notInvitedText')} <strong data-testid="invited-number">{view.expected.slice(-4)}</strong>. {tr('notInvitedTodo')}
        </p>
        <div class="actions actions-stack">
          <Button testid="not-invited-rescan" onClick={() => send({ type: 'DOC_RESCAN' })}>
            {tr('notInvitedRescan')}
          </Button>
          <Button testid="not-invited-drop" kind="secondary" onClick={() => send({ type: 'INVITATION_DROP' })}>
            {tr('notInvitedDrop')}
          </Button>
        </div>
      </div>
      <div class="col different-person-card">
        <p class="kicker">{tr('differentPersonCard')}</p>
        <DocumentTable compact lang={lang} document={view.document} />
      </div>
    </ScreenFrame>
  );
}
