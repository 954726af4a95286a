import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LABELS } from '../common/i18n';
import { connectKiosk, type KioskConnection } from '../common/ws-client';
import { KioskContext, type Kiosk } from './context';
import { CurrentScreen } from './current-screen';
import { Header } from './parts/header';
import { HelpOverlay } from './parts/help-overlay';
import { ReconnectBanner } from './parts/reconnect-banner';
import { TimeoutOverlay } from './parts/timeout-overlay';
import type { Intent } from '../../domain/kiosk-channel/messages';
import type { Screen, ViewModel } from '../../domain/kiosk-channel/view-model';

const TOUCH_EVERY_MS = 2000;

/** Screens where nobody is in a session: no help button, no presence pings. */
function outsideSession(screen: Screen): boolean {
  return screen.name === 'attract' || screen.name === 'abandoned' || screen.name === 'out-of-service';
}

/** Renders the last view model and nothing else; all business state lives in the controller. */
export function App() {
  const [view, setView] = useState<ViewModel | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  const conn = useRef<KioskConnection | null>(null);
  const viewRef = useRef<ViewModel | undefined>(undefined);
  viewRef.current = view;

  useEffect(() => {
    const c = connectKiosk({ onView: setView, onConnected: setConnected });
    conn.current = c;
    return () => c.close();
  }, []);

  // Any tap tells the controller someone is still there, at most once every two seconds.
  useEffect(() => {
    let last = 0;
    const onDown = () => {
      const v = viewRef.current;
      if (!v || outsideSession(v.screen)) return;
      const now = Date.now();
      if (now - last < TOUCH_EVERY_MS) return;
      last = now;
      conn.current?.send({ type: 'TOUCH' });
    };
    document.addEventListener('pointerdown', onDown, { capture: true, passive: true });
    return () => document.removeEventListener('pointerdown', onDown, { capture: true });
  }, []);

  const lang = view?.lang ?? 'vi';
  const kiosk = useMemo<Kiosk>(() => ({ lang, send: (intent: Intent) => conn.current?.send(intent) }), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  if (!view) {
    return (
      <div class="kiosk" data-testid="connecting">
        <div class="busy center">
          <div class="spinner" aria-hidden="true" />
          <p class="lead big">
            {LABELS.connecting.vi} / {LABELS.connecting.en}
          </p>
        </div>
        {!connected ? <ReconnectBanner /> : null}
      </div>
    );
  }

  return (
    <KioskContext.Provider value={kiosk}>
      <div class="kiosk" data-screen={view.screen.name} data-seq={view.seq} data-lang={view.lang}>
        <Header step={view.step} showHelp={!outsideSession(view.screen)} />
        <main class="main">
          <CurrentScreen screen={view.screen} />
        </main>
        {view.overlay?.name === 'help' ? <HelpOverlay /> : null}
        {view.overlay?.name === 'timeout-prompt' ? <TimeoutOverlay secondsLeft={view.overlay.secondsLeft} /> : null}
        {!connected ? <ReconnectBanner /> : null}
      </div>
    </KioskContext.Provider>
  );
}
