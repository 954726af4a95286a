import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { DocumentScanner } from '../../drivers/types';
import { todayIso } from '../documents/dates';
import type { InvitationOutcome } from '../enrollment/context';
import type { WatchInvitationsInput } from '../enrollment/machine';
import { checkInvitation } from '../invitations/sign';
import { looksLikeInvitation } from '../invitations/format';
import { AUDIT_KINDS } from '../store/audit-kinds';
import type { JsonValue } from '../store/store';

/**
 * The start screen's ear on the scanner (issue #15): an invitation (giấy mời) held to it is
 * checked (docs/invitation-format.md) and reported to the statechart, which starts a session with
 * it or says why it was refused. The same scanner and the same input path as a card's QR code;
 * anything that is not an invitation (a card held up too early) is left alone.
 */

export interface InvitationWatchDeps {
  /** The police stations' invitation keys this kiosk trusts (config `invitations.publicKeys`), by key id. */
  readonly trusted: ReadonlyMap<string, KeyObject>;
  readonly used: (id: string) => Promise<boolean>;
  /** One audit entry per invitation scanned: accepted or refused and why, its id; never whose. */
  readonly audit: (kind: string, detail: JsonValue) => void;
  readonly log: Logger;
  readonly now?: () => Date;
  /** How long to wait before asking again a scanner that is down (its supervisor reconnects it). */
  readonly retryMs?: number;
}

export function createInvitationWatch(scanner: DocumentScanner, deps: InvitationWatchDeps) {
  const now = deps.now ?? (() => new Date());
  const retryMs = deps.retryMs ?? 1000;
  return (input: WatchInvitationsInput, report: (o: InvitationOutcome) => void): (() => void) => {
    const ac = new AbortController();
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        ac.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    const loop = async (): Promise<void> => {
      while (!ac.signal.aborted) {
        const state = scanner.status().state;
        if (state !== 'ready' && state !== 'busy') {
          await pause(retryMs);
          continue;
        }
        // An idle listen: the scanner stays `ready` on /healthz and the service screen meanwhile.
        const scan = await scanner.read({ waitMs: input.waitMs, signal: ac.signal, idle: true });
        if (ac.signal.aborted) return;
        if (scan.kind === 'fault') {
          await pause(retryMs);
          continue;
        }
        if (scan.kind !== 'text' || !looksLikeInvitation(scan.text)) continue;
        const checked = await checkInvitation(scan.text, { trusted: deps.trusted, today: todayIso(now()), used: deps.used });
        if (ac.signal.aborted || checked.kind === 'not-invitation') continue;
        if (checked.kind === 'accepted') {
          deps.audit(AUDIT_KINDS.invitation, { outcome: 'accepted', invitationId: checked.invitation.id, case: checked.invitation.case, priority: checked.invitation.priority });
          report({ kind: 'accepted', invitation: checked.invitation, at: now().getTime() });
        } else {
          deps.audit(AUDIT_KINDS.invitation, { outcome: 'refused', reason: checked.reason, ...(checked.invitationId ? { invitationId: checked.invitationId } : {}) });
          report({ kind: 'refused', reason: checked.reason });
        }
      }
    };
    loop().catch((err: unknown) => deps.log.warn({ err }, 'the start screen stopped listening for invitations'));
    return () => ac.abort();
  };
}
