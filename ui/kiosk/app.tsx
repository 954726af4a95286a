import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LABELS } from '../common/i18n';
import { connectKiosk, type KioskConnection, type ScreenRefusal } from '../common/ws-client';
import { KioskContext, type Kiosk } from './context';
import { CurrentScreen } from './current-screen';
import { Header } from './parts/header';
import { HelpOverlay } from './parts/help-overlay';
import { ReconnectBanner } from './parts/reconnect-banner';
import { RestartingCover } from './parts/restarting-cover';
import { TimeoutOverlay } from './parts/timeout-overlay';
import { useVoice, VoiceAudio } from './parts/voice';
import type { Intent } from '../../domain/kiosk-channel/messages';
import type { Screen, ViewModel } from '../../domain/kiosk-channel/view-model';

const TOUCH_EVERY_MS = 2000;
/** A dropped socket that comes back within this is a blip (banner only); longer, the page is covered. */
const RESTARTING_AFTER_MS = 1500;

/** Screens where nobody is in a session: no help button, no presence pings. */
function outsideSession(screen: Screen): boolean {
  return screen.name === 'attract' || screen.name === 'abandoned' || screen.name === 'out-of-service';
}

/** A tap says someone is there: in a session (the idle watch), and on the quiet start screen (it wakes). */
function tapIsPresence(screen: Screen): boolean {
  return !outsideSession(screen) || (screen.name === 'attract' && screen.asleep === true);
}

/**
 * What a page the kiosk will not serve shows (issue #11), in both languages since no language
 * is chosen: the citizen is told to wait or ask staff; the line below is for the technician.
 */
const REFUSED: Record<ScreenRefusal['kind'], { vi: string; en: string; viHint: string; enHint: string }> = {
  'not-this-screen': {
    vi: 'Màn hình này chưa được kết nối với ki-ốt',
    en: 'This screen is not connected to the kiosk',
    viHint: 'Xin chờ trong giây lát. Nếu vẫn thấy thông báo này, xin liên hệ cán bộ.',
    enHint: 'Please wait a moment. If this message stays, please ask a staff member.',
  },
  'screen-in-use': {
    vi: 'Màn hình ki-ốt đang mở ở một cửa sổ khác',
    en: "The kiosk's screen is open in another window",
    viHint: 'Mỗi lúc chỉ một màn hình phục vụ công dân. Xin đóng cửa sổ này hoặc liên hệ cán bộ.',
    enHint: 'Only one screen serves a citizen at a time. Please close this window, or ask a staff member.',
  },
};

function Refused({ refusal }: { readonly refusal: ScreenRefusal }) {
  const t = REFUSED[refusal.kind];
  return (
    <div class="kiosk" data-testid="screen-refused" data-reason={refusal.kind}>
      <div class="busy center">
        <p class="lead big" lang="vi">
          {t.vi}
        </p>
        <p class="lead big" lang="en">
          {t.en}
        </p>
        <p class="hint" lang="vi">
          {t.viHint}
        </p>
        <p class="hint" lang="en">
          {t.enHint}
        </p>
        <p class="hint" data-testid="refused-detail">
          <small>{refusal.detail}</small>
        </p>
      </div>
    </div>
  );
}

/** Renders the last view model and nothing else; all business state lives in the controller. */
export function App() {
  const [view, setView] = useState<ViewModel | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  const [refused, setRefused] = useState<ScreenRefusal | undefined>(undefined);
  const [restarting, setRestarting] = useState(false);
  const conn = useRef<KioskConnection | null>(null);
  const viewRef = useRef<ViewModel | undefined>(undefined);
  viewRef.current = view;

  useEffect(() => {
    const c = connectKiosk({
      onView: (v) => {
        setRefused(undefined);
        setView(v);
      },
      onConnected: setConnected,
      onRefused: (r) => {
        // Nothing of a session stays on a page the kiosk no longer serves. (Refused as a second
        // screen, a page that was serving keeps its view: it is knocking again after a drop.)
        if (r.kind === 'not-this-screen') setView(undefined);
        setRefused(r);
      },
    });
    conn.current = c;
    return () => c.close();
  }, []);

  // Any tap tells the controller someone is still there, at most once every two seconds.
  useEffect(() => {
    let last = 0;
    const onDown = () => {
      const v = viewRef.current;
      if (!v || !tapIsPresence(v.screen)) return;
      const now = Date.now();
      if (now - last < TOUCH_EVERY_MS) return;
      last = now;
      conn.current?.send({ type: 'TOUCH' });
    };
    document.addEventListener('pointerdown', onDown, { capture: true, passive: true });
    return () => document.removeEventListener('pointerdown', onDown, { capture: true });
  }, []);

  // Lost the controller for longer than a blip: cover the page until it answers again.
  useEffect(() => {
    if (connected) {
      setRestarting(false);
      return;
    }
    const timer = setTimeout(() => setRestarting(true), RESTARTING_AFTER_MS);
    return () => clearTimeout(timer);
  }, [connected]);

  const lang = view?.lang ?? 'vi';
  const dialog = view?.dialog;
  const largeText = view?.largeText === true;
  const voiceMuted = view?.voiceMuted === true;
  const kiosk = useMemo<Kiosk>(
    () => ({ lang, largeText, voiceMuted, ...(dialog ? { dialog } : {}), send: (intent: Intent) => conn.current?.send(intent) }),
    [lang, dialog, largeText, voiceMuted],
  );
  const voice = useVoice(view);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  if (!view && refused) return <Refused refusal={refused} />;

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
      <div class={`kiosk${largeText ? ' large-text' : ''}`} data-screen={view.screen.name} data-seq={view.seq} data-lang={view.lang}>
        <Header step={view.step} showHelp={!outsideSession(view.screen)} replay={voice.replay} />
        <main class="main">
          <CurrentScreen screen={view.screen} />
        </main>
        {view.overlay?.name === 'help' ? <HelpOverlay /> : null}
        {view.overlay?.name === 'timeout-prompt' ? <TimeoutOverlay secondsLeft={view.overlay.secondsLeft} /> : null}
        {!connected && !restarting ? <ReconnectBanner /> : null}
        {!connected && restarting ? <RestartingCover /> : null}
        <VoiceAudio voice={voice} />
      </div>
    </KioskContext.Provider>
  );
}
