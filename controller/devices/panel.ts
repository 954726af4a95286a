import type { Logger } from 'pino';
import type { GpioPanel, PanelLed } from '../../drivers/types';
import type { KioskRuntime } from '../enrollment/runtime';

/**
 * The kiosk's front panel, wired to the session: the physical help button asks for help exactly
 * as the on-screen one does (for citizens who can't find it on the screen); pressed before anyone
 * started, staff are called and the start screen says so for a few seconds. The help LED shows
 * staff from across the room who is waiting, the status LED is lit while the kiosk is in
 * service, and the tamper switch raises a staff alert. Returns an unsubscribe function.
 *
 * The LEDs follow the screen whenever the panel is there to show it: a board that opens late,
 * or comes back after its cable was pulled (its LEDs reset dark), is brought up to date as soon
 * as it is ready again.
 */
export function wirePanel(panel: GpioPanel, runtime: KioskRuntime, log: Logger, onTamper: () => void): () => void {
  const offInput = panel.onInput((input, active) => {
    if (!active) return;
    if (input === 'help-button') {
      const r = runtime.send({ type: 'HELP' }, { source: 'panel' });
      // Refused: help is up already, or the kiosk is committing or printing for a few seconds.
      log.info({ panel: input, accepted: r.ok, screen: runtime.view().screen.name }, 'help button pressed');
    } else if (input === 'tamper') {
      log.warn({ alert: 'tamper', panel: input }, 'kiosk enclosure opened: staff attention needed');
      onTamper();
    }
  });
  const wanted: Record<'help' | 'status', boolean> = { help: false, status: false };
  /** What the board shows now, as far as we know; forgotten when it goes away. */
  let shown: Partial<Record<'help' | 'status', boolean>> = {};
  const sync = (): void => {
    if (panel.status().state !== 'ready') return;
    for (const led of ['help', 'status'] as const satisfies readonly PanelLed[]) {
      const on = wanted[led];
      if (shown[led] === on) continue;
      shown[led] = on;
      // LED writes go to hardware: only on change, and a failed write is logged, never thrown.
      panel.setLed(led, on).catch((err: unknown) => {
        shown[led] = undefined;
        log.warn({ err, led }, `${led} LED write failed`);
      });
    }
  };
  const offView = runtime.onView((view) => {
    wanted.help = view.overlay?.name === 'help' || (view.screen.name === 'attract' && view.screen.staffCalled === true);
    wanted.status = view.screen.name !== 'out-of-service';
    sync();
  });
  const offStatus = panel.onStatus((s) => {
    if (s.state === 'ready') sync();
    else if (s.state !== 'busy') shown = {};
  });
  sync();
  return () => {
    offInput();
    offView();
    offStatus();
  };
}
