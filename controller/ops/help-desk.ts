import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import type { Store } from '../store/store';
import { AUDIT_KINDS } from '../store/audit-kinds';
import type { StaffAlert } from './alerts';

/**
 * A citizen's help request is an event staff can see (issue #11: the overlay said staff were
 * coming, and nobody was told): a staff alert in /healthz, a warning in the log, an entry in the
 * audit chain. Where it was asked (the screen's button or the panel's) and on which screen; never
 * who. Staff answer at the kiosk with the overlay's "Continue" (HELP_DONE), or from the hall
 * officers' console (ops/console-link.ts, docs/ops-console.md). Returns an unsubscribe function.
 */
export interface HelpDeskDeps {
  readonly store: Pick<Store, 'appendAudit'>;
  readonly log: Logger;
  readonly raise: (alert: StaffAlert) => void;
  readonly now?: () => Date;
}

export function wireHelpDesk(runtime: KioskRuntime, deps: HelpDeskDeps): () => void {
  const now = deps.now ?? (() => new Date());
  return runtime.onNotice((notice) => {
    // The screen the citizen is on as they ask (help shows over it).
    const screen = runtime.view().screen.name;
    const detail = { source: notice.source, inSession: notice.inSession, screen };
    deps.raise({ at: now().toISOString(), device: notice.source, status: 'help' });
    deps.log.warn({ alert: 'help', ...detail }, 'a citizen asked for help: staff attention needed');
    deps.store.appendAudit(AUDIT_KINDS.help, detail).catch((err: unknown) => deps.log.error({ err }, 'help request not written to the audit trail'));
  });
}
