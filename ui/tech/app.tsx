import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { connectTech, type TechConnection } from './tech-client';
import { tl } from './labels';
import { PinPage } from './pin-page';
import { ServicePage } from './service-page';
import type { Bilingual, Lang } from '../../domain/language';
import { TECH_DEVICES, type SelfTestResult, type TechAccess, type TechClientMessage, type TechDevice, type TechStatus } from '../../domain/tech-channel/types';

/** On the kiosk's own screen, a PIN page nobody types on goes back to the citizen's screen after this. */
export const KIOSK_SCREEN_IDLE_MS = 60_000;

export interface Running {
  readonly device: TechDevice;
  readonly prompt?: Bilingual;
}

/**
 * The service screen (issue #13). It shows what the kiosk sends and sends back what the
 * technician presses; the kiosk decides what is unlocked and what may run. Vietnamese first,
 * a button switches to English.
 */
export function TechApp() {
  const [lang, setLang] = useState<Lang>('vi');
  const [connected, setConnected] = useState(false);
  const [access, setAccess] = useState<TechAccess | undefined>(undefined);
  const [refusal, setRefusal] = useState<Bilingual | undefined>(undefined);
  const [status, setStatus] = useState<TechStatus | undefined>(undefined);
  const [results, setResults] = useState<Partial<Record<TechDevice, SelfTestResult>>>({});
  const [running, setRunning] = useState<Running | undefined>(undefined);
  const [error, setError] = useState<Bilingual | undefined>(undefined);
  const [idleLocked, setIdleLocked] = useState(false);
  /** "Test all": the devices still to test, in order. */
  const queue = useRef<TechDevice[]>([]);
  const conn = useRef<TechConnection | null>(null);
  const wasUnlocked = useRef(false);
  const lockPressed = useRef(false);

  const send = (msg: TechClientMessage): void => conn.current?.send(msg);
  const next = (): void => {
    const device = queue.current.shift();
    if (device) send({ type: 'self-test', device });
  };

  useEffect(() => {
    const c = connectTech({
      onConnected: (up) => {
        setConnected(up);
        if (!up) {
          setRunning(undefined);
          queue.current = [];
        }
      },
      onMessage: (msg) => {
        switch (msg.type) {
          case 'access':
            setAccess(msg.access);
            if (msg.access.unlocked) {
              setRefusal(undefined);
              setIdleLocked(false);
            } else {
              setStatus(undefined);
              setRunning(undefined);
              queue.current = [];
              // Locked by the kiosk, not by the Lock button: say why.
              if (wasUnlocked.current && !lockPressed.current) setIdleLocked(true);
              lockPressed.current = false;
            }
            wasUnlocked.current = msg.access.unlocked;
            return;
          case 'unlock-refused':
            setRefusal(msg.message);
            return;
          case 'status':
            setStatus(msg.status);
            return;
          case 'self-test-started':
            setError(undefined);
            setRunning(msg.prompt ? { device: msg.device, prompt: msg.prompt } : { device: msg.device });
            return;
          case 'self-test':
            setResults((r) => ({ ...r, [msg.result.device]: msg.result }));
            setRunning(undefined);
            next();
            return;
          case 'error':
            setError(msg.message);
            setRunning(undefined);
            queue.current = [];
            return;
        }
      },
    });
    conn.current = c;
    return () => c.close();
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // On the kiosk's own screen, a PIN page left alone goes back to the citizen's screen.
  const onKioskScreen = access?.where === 'kiosk-screen';
  const locked = access !== undefined && !access.unlocked;
  useEffect(() => {
    if (!onKioskScreen || !locked) return;
    let timer = setTimeout(() => window.location.assign('/'), KIOSK_SCREEN_IDLE_MS);
    const again = () => {
      clearTimeout(timer);
      timer = setTimeout(() => window.location.assign('/'), KIOSK_SCREEN_IDLE_MS);
    };
    document.addEventListener('pointerdown', again, { passive: true });
    document.addEventListener('keydown', again);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', again);
      document.removeEventListener('keydown', again);
    };
  }, [onKioskScreen, locked]);

  const actions = useMemo(
    () => ({
      unlock: (pin: string) => {
        setRefusal(undefined);
        send({ type: 'unlock', pin });
      },
      lock: () => {
        lockPressed.current = true;
        send({ type: 'lock' });
      },
      service: (on: boolean) => send({ type: 'service', on }),
      test: (device: TechDevice) => {
        setError(undefined);
        queue.current = [];
        send({ type: 'self-test', device });
      },
      testAll: () => {
        setError(undefined);
        queue.current = [...TECH_DEVICES];
        next();
      },
    }),
    [],
  );

  const header = (
    <header class="tech-header">
      <h1 class="tech-title">
        {tl(lang, 'title')}
        {status ? <span class="tech-kiosk"> · {status.kioskId}</span> : null}
      </h1>
      <div class="tech-header-actions">
        <button type="button" class="tbtn tbtn-quiet" data-testid="lang-toggle" lang={lang === 'vi' ? 'en' : 'vi'} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {tl(lang, 'otherLanguage')}
        </button>
        {access?.unlocked ? (
          <button type="button" class="tbtn tbtn-quiet" data-testid="tech-lock" onClick={actions.lock}>
            {tl(lang, 'lock')}
          </button>
        ) : null}
        {onKioskScreen ? (
          <button type="button" class="tbtn tbtn-quiet" data-testid="back-to-kiosk" onClick={() => window.location.assign('/')}>
            {tl(lang, 'backToKiosk')}
          </button>
        ) : null}
      </div>
    </header>
  );

  return (
    <div class="tech" data-testid={access === undefined ? 'tech-connecting' : access.unlocked ? 'tech-unlocked' : 'tech-locked'} data-lang={lang}>
      {header}
      {!connected ? (
        <p class="tech-banner tech-banner-warn" role="status" data-testid="tech-disconnected">
          {access === undefined ? tl(lang, 'connecting') : tl(lang, 'disconnected')}
        </p>
      ) : null}
      {access === undefined ? null : access.unlocked ? (
        <ServicePage lang={lang} status={status} results={results} running={running} error={error} actions={actions} />
      ) : (
        <PinPage lang={lang} access={access} refusal={refusal} idleLocked={idleLocked} onUnlock={actions.unlock} />
      )}
    </div>
  );
}
