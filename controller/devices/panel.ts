import type { Logger } from 'pino';
import type { GpioPanel } from '../../drivers/types';
import type { KioskRuntime } from '../enrollment/runtime';

/**
 * The kiosk's front panel, wired to the session: the physical help button asks for help exactly
 * as the on-screen one does (for citizens who can't find it on the screen), the help LED shows
 * staff from across the room who is waiting, the status LED is lit while the kiosk is in
 * service, and the tamper switch raises a staff alert. Returns an unsubscribe function.
 */
export function wirePanel(panel: GpioPanel, runtime: KioskRuntime, log: Logger, onTamper: () => void): () => void {
  const offInput = panel.onInput((input, active) => {
    if (!active) return;
    if (input === 'help-button') {
      const r = runtime.send({ type: 'HELP' });
      log.info({ panel: input, accepted: r.ok }, 'help button pressed');
    } else if (input === 'tamper') {
      log.warn({ alert: 'tamper', panel: input }, 'kiosk enclosure opened: staff attention needed');
      onTamper();
    }
  });
  let help: boolean | undefined;
  let inService: boolean | undefined;
  const offView = runtime.onView((view) => {
    const h = view.overlay?.name === 'help';
    const s = view.screen.name !== 'out-of-service';
    // LED writes go to hardware: only on change, and a failed write is logged, never thrown.
    if (h !== help) {
      help = h;
      panel.setLed('help', h).catch((err: unknown) => log.warn({ err }, 'help LED write failed'));
    }
    if (s !== inService) {
      inService = s;
      panel.setLed('status', s).catch((err: unknown) => log.warn({ err }, 'status LED write failed'));
    }
  });
  return () => {
    offInput();
    offView();
  };
}
