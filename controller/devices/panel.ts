import type { Logger } from 'pino';
import type { GpioPanel, LedState, PanelLed } from '../../drivers/types';
import type { KioskRuntime } from '../enrollment/runtime';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';

/**
 * The kiosk's front panel, wired to the session: the physical help button asks for help exactly
 * as the on-screen one does (for citizens who can't find it on the screen); pressed before anyone
 * started, staff are called and the start screen says so for a few seconds. The PIR tells the
 * statechart someone is near (it wakes the start screen) or has gone (an abandoned session is
 * asked about sooner). The tamper switch opening ends any session, wiped, keeps the kiosk out of
 * service until the enclosure is shut, and raises a staff alert (`onTamper`: the kiosk alerts
 * and audits). Returns an unsubscribe function.
 *
 * The LEDs follow the screen (`panelLeds`) whenever the panel is there to show it: a board that
 * opens late, or comes back after its cable was pulled (its LEDs reset dark), is brought up to
 * date as soon as it is ready again.
 */

/** What the tamper switch opening did, for the alert and the audit entry. */
export interface TamperReport {
  /** A citizen's session was in progress, and was ended (and wiped). */
  readonly sessionEnded: boolean;
  /** The screen it was on. */
  readonly screen: string;
}

/** The parts of a view model the LEDs follow (a ViewModel is one). */
export interface LedView {
  readonly screen: { readonly name: ViewModel['screen']['name']; readonly phase?: string; readonly staffCalled?: boolean };
  readonly overlay?: { readonly name: string };
}

const IDLE_SCREENS: ReadonlySet<string> = new Set(['attract', 'abandoned', 'out-of-service']);

/**
 * What each LED shows for a view: status steady while ready for a citizen, blinking slowly while
 * one is being served, fast while out of service (dark: the controller is not running); help lit
 * while staff are called; the fingerprint LED lit while the sensor waits for a finger; the
 * camera light while the camera takes the photo (of the face, or of the hand for a finger that
 * cannot be taken).
 */
export function panelLeds(view: LedView): Record<PanelLed, LedState> {
  const s = view.screen;
  return {
    status: s.name === 'out-of-service' ? 'blink-fast' : IDLE_SCREENS.has(s.name) ? true : 'blink-slow',
    help: view.overlay?.name === 'help' || (s.name === 'attract' && s.staffCalled === true),
    fingerprint: s.name === 'fingerprints' && (s.phase === 'place' || s.phase === 'uploading'),
    'camera-light': (s.name === 'face' && s.phase === 'live') || (s.name === 'fingerprints' && (s.phase === 'proof-photo' || s.phase === 'proof-taking')),
  };
}

const LEDS: readonly PanelLed[] = ['status', 'help', 'fingerprint', 'camera-light'];

export function wirePanel(panel: GpioPanel, runtime: KioskRuntime, log: Logger, onTamper: (t: TamperReport) => void): () => void {
  const offInput = panel.onInput((input, active) => {
    if (input === 'presence') {
      runtime.setPresence(active);
      log.debug({ panel: input, active }, active ? 'someone is in front of the kiosk' : 'nobody in front of the kiosk');
      return;
    }
    if (input === 'tamper') {
      if (!active) {
        runtime.setEnclosure(false);
        log.info({ panel: input }, 'kiosk enclosure shut again');
        return;
      }
      const screen = runtime.view().screen.name;
      const sessionEnded = !IDLE_SCREENS.has(screen);
      runtime.setEnclosure(true);
      log.warn({ alert: 'tamper', panel: input, sessionEnded, screen }, 'kiosk enclosure opened: staff attention needed');
      onTamper({ sessionEnded, screen });
      return;
    }
    if (!active) return;
    const r = runtime.send({ type: 'HELP' }, { source: 'panel' });
    // Refused: help is up already, or the kiosk is committing or printing for a few seconds.
    log.info({ panel: input, accepted: r.ok, screen: runtime.view().screen.name }, 'help button pressed');
  });
  let wanted = panelLeds(runtime.view());
  /** What the board shows now, as far as we know; forgotten when it goes away. */
  let shown: Partial<Record<PanelLed, LedState>> = {};
  const sync = (): void => {
    if (panel.status().state !== 'ready') return;
    for (const led of LEDS) {
      const state = wanted[led];
      if (shown[led] === state) continue;
      shown[led] = state;
      // LED writes go to hardware: only on change, and a failed write is logged, never thrown.
      panel.setLed(led, state).catch((err: unknown) => {
        shown[led] = undefined;
        log.warn({ err, led }, `${led} LED write failed`);
      });
    }
  };
  const offView = runtime.onView((view) => {
    wanted = panelLeds(view);
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
