import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { connectConsole, type ConsoleConnection } from './console-client';
import { DEVICE_LABELS, duration, FINGER_LABELS, LINK_ERRORS, OPS_LABELS, opsLabel, pick, REASON_LABELS, SCREEN_NAMES, STATE_LABELS, type OpsLabel } from './labels';
import type { Bilingual, Lang } from '../../domain/language';
import type { ConsoleServerMessage, HallKiosk, OpsCommand } from '../../domain/ops-channel/types';

/**
 * The hall officers' console (issue #14): every kiosk of the hall live, the kiosks that cannot be
 * reached as a red alert, the help calls as a queue (longest wait first), the finger exceptions
 * to approve with their photo, and each kiosk's end-session and out-of-service buttons.
 * Vietnamese first; dense, but every button is large enough for a finger.
 */

type Tr = (k: OpsLabel) => string;

export function OpsApp() {
  const [lang, setLang] = useState<Lang>('vi');
  const [officer, setOfficer] = useState<string | undefined>(undefined);
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    fetch('/api/me', { credentials: 'same-origin' }).then(
      async (r) => {
        if (r.ok) {
          const body: unknown = await r.json();
          if (typeof body === 'object' && body !== null && 'officer' in body && typeof body.officer === 'string') setOfficer(body.officer);
        }
        setChecked(true);
      },
      () => setChecked(true),
    );
  }, []);
  const tr: Tr = (k) => opsLabel(lang, k);
  const toggle = () => setLang(lang === 'vi' ? 'en' : 'vi');
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  if (!checked) return null;
  if (!officer) return <LoginPage tr={tr} lang={lang} toggle={toggle} onIn={setOfficer} />;
  return <HallPage tr={tr} lang={lang} toggle={toggle} officer={officer} onOut={() => setOfficer(undefined)} />;
}

function LoginPage({ tr, toggle, onIn }: { readonly tr: Tr; readonly lang: Lang; readonly toggle: () => void; readonly onIn: (officer: string) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ login: login.trim(), password }) });
      const body: unknown = await r.json().catch(() => ({}));
      if (r.ok && typeof body === 'object' && body !== null && 'officer' in body && typeof body.officer === 'string') {
        setPassword('');
        onIn(body.officer);
        return;
      }
      const wait = typeof body === 'object' && body !== null && 'retryAfterS' in body && typeof body.retryAfterS === 'number' ? body.retryAfterS : undefined;
      setError(r.status === 401 ? tr('loginWrong') : r.status === 429 ? `${tr('loginWait')} ${wait ?? 60}` : tr('loginFailed'));
    } catch {
      setError(tr('loginFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="ops ops-login">
      <header class="ops-header">
        <h1 class="ops-title">{tr('title')}</h1>
        <button type="button" class="obtn obtn-quiet" data-testid="lang" onClick={toggle}>
          {tr('otherLanguage')}
        </button>
      </header>
      <form class="login-card" onSubmit={submit} data-testid="login-form">
        <h2>{tr('loginTitle')}</h2>
        <p class="hint">{tr('loginHint')}</p>
        <label>
          {tr('loginName')}
          <input name="login" data-testid="login" autocomplete="username" value={login} onInput={(e) => setLogin(e.currentTarget.value)} required />
        </label>
        <label>
          {tr('password')}
          <input name="password" type="password" data-testid="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        {error ? (
          <p class="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" class="obtn obtn-primary" data-testid="login-submit" disabled={busy}>
          {tr('loginButton')}
        </button>
      </form>
    </div>
  );
}

interface Photo {
  readonly exceptionId: string;
  readonly dataUrl?: string;
}

function HallPage({ tr, lang, toggle, officer, onOut }: { readonly tr: Tr; readonly lang: Lang; readonly toggle: () => void; readonly officer: string; readonly onOut: () => void }) {
  const [kiosks, setKiosks] = useState<ReadonlyMap<string, HallKiosk>>(new Map());
  const [connected, setConnected] = useState(false);
  const [skew, setSkew] = useState(0);
  const [photos, setPhotos] = useState<ReadonlyMap<string, Photo>>(new Map());
  const [notice, setNotice] = useState<Bilingual | undefined>(undefined);
  const [, setTick] = useState(0);
  const conn = useRef<ConsoleConnection | undefined>(undefined);
  const nextId = useRef(1);

  useEffect(() => {
    const c = connectConsole({
      onConnected: setConnected,
      onLoggedOut: onOut,
      onMessage: (m: ConsoleServerMessage) => {
        switch (m.type) {
          case 'hall':
            setSkew(Date.now() - Date.parse(m.at));
            setKiosks(new Map(m.kiosks.map((k) => [k.kioskId, k])));
            return;
          case 'kiosks':
            setSkew(Date.now() - Date.parse(m.at));
            setKiosks((prev) => {
              const next = new Map(prev);
              for (const k of m.kiosks) next.set(k.kioskId, k);
              return next;
            });
            return;
          case 'photo':
            setPhotos((prev) => new Map(prev).set(m.kioskId, { exceptionId: m.exceptionId, dataUrl: m.dataUrl }));
            return;
          case 'result':
            if (!m.ok && m.message) setNotice(m.message);
            return;
          case 'error':
            setNotice({ vi: m.message, en: m.message });
            return;
        }
      },
    });
    conn.current = c;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => {
      clearInterval(t);
      c.close();
    };
  }, []);
  useEffect(() => {
    if (!notice) return undefined;
    const t = setTimeout(() => setNotice(undefined), 8000);
    return () => clearTimeout(t);
  }, [notice]);

  /** Now, on the ops process's clock (every time on the page is on it). */
  const now = Date.now() - skew;
  const since = (iso: string | undefined): number => (iso ? (now - Date.parse(iso)) / 1000 : 0);
  const command = (kioskId: string, cmd: OpsCommand): void => {
    const id = `p${nextId.current++}`;
    if (!conn.current?.send({ type: 'command', id, kioskId, command: cmd })) setNotice(OPS_LABELS.lostConsole);
  };
  const list = useMemo(() => [...kiosks.values()].sort((a, b) => (a.label ?? a.kioskId).localeCompare(b.label ?? b.kioskId, 'vi', { numeric: true })), [kiosks]);
  const down = list.filter((k) => k.link === 'down');
  const helps = list.flatMap((k) => (k.link === 'up' && k.status?.help ? [{ k, help: k.status.help }] : [])).sort((a, b) => Date.parse(a.help.since) - Date.parse(b.help.since));
  const exceptions = list.flatMap((k) => (k.link === 'up' && k.status?.exception ? [{ k, ex: k.status.exception }] : [])).sort((a, b) => Date.parse(a.ex.since) - Date.parse(b.ex.since));
  const name = (k: HallKiosk) => k.label ?? k.kioskId;

  const logout = async () => {
    await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    onOut();
  };

  return (
    <div class="ops">
      <header class="ops-header">
        <h1 class="ops-title">{tr('title')}</h1>
        <div class="ops-header-right">
          <span class="ops-officer" data-testid="officer">
            {tr('officer')}: <strong>{officer}</strong>
          </span>
          <span class={`ops-link ${connected ? 'ops-link-up' : 'ops-link-down'}`} data-testid="console-link">
            {connected ? '●' : tr('connecting')}
          </span>
          <button type="button" class="obtn obtn-quiet" data-testid="lang" onClick={toggle}>
            {tr('otherLanguage')}
          </button>
          <button type="button" class="obtn obtn-quiet" data-testid="logout" onClick={logout}>
            {tr('logout')}
          </button>
        </div>
      </header>
      {notice ? (
        <p class="ops-notice" role="status" data-testid="notice">
          {notice[lang]}
        </p>
      ) : null}
      {!connected ? <p class="ops-notice ops-notice-bad">{tr('lostConsole')}</p> : null}
      {down.length > 0 ? (
        <section class="alerts" data-testid="alerts" role="alert">
          <h2>
            ⚠ {tr('alerts')} ({down.length})
          </h2>
          <ul>
            {down.map((k) => (
              <li key={k.kioskId} data-testid={`alert-${k.kioskId}`}>
                <strong>{name(k)}</strong>{' '}
                {k.lastHeardAt ? `${tr('silentFor')} ${duration(since(k.lastHeardAt), lang)}` : tr('neverReached')}
                {k.linkError ? <span class="alert-why"> ({pick(LINK_ERRORS[k.linkError], lang, k.linkError)})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <main class="ops-main">
        <div class="ops-side">
          <section class="panel" data-testid="help-queue">
            <h2>
              {tr('helpQueue')} <span class="count">{helps.length}</span>
            </h2>
            {helps.length === 0 ? <p class="empty">{tr('helpNone')}</p> : null}
            <ol class="queue">
              {helps.map(({ k, help }) => (
                <li key={help.id} class="queue-item" data-testid={`help-${k.kioskId}`}>
                  <div class="queue-what">
                    <strong class="queue-kiosk">{name(k)}</strong>
                    <span class="queue-wait" data-testid="help-wait">
                      {tr('waited')} {duration(since(help.since), lang)}
                    </span>
                    <span class="queue-where">
                      {pick(SCREEN_NAMES[help.screen], lang, help.screen)} · {help.source === 'panel' ? tr('fromPanel') : tr('fromScreen')}
                      {help.inSession ? '' : ` · ${tr('beforeStart')}`}
                    </span>
                  </div>
                  <button type="button" class="obtn obtn-primary" data-testid={`answer-${k.kioskId}`} onClick={() => command(k.kioskId, { kind: 'answer-help', helpId: help.id })}>
                    {tr('answer')}
                  </button>
                </li>
              ))}
            </ol>
          </section>
          <section class="panel" data-testid="exceptions">
            <h2>
              {tr('exceptions')} <span class="count">{exceptions.length}</span>
            </h2>
            {exceptions.length === 0 ? <p class="empty">{tr('exceptionNone')}</p> : null}
            {exceptions.map(({ k, ex }) => {
              const photo = photos.get(k.kioskId);
              const shown = photo?.exceptionId === ex.id ? photo : undefined;
              return (
                <div key={ex.id} class="exception" data-testid={`exception-${k.kioskId}`}>
                  <p class="exception-what">
                    <strong>{name(k)}</strong>: {ex.scope === 'hand' ? tr('scopeHand') : pick(FINGER_LABELS[ex.finger], lang, ex.finger)} — {pick(REASON_LABELS[ex.reason], lang, ex.reason)}
                  </p>
                  <p class="exception-wait">
                    {tr('waited')} {duration(since(ex.since), lang)} · {tr('autoIn')} {duration(-since(ex.until), lang)}
                  </p>
                  {shown?.dataUrl ? (
                    <img class="exception-photo" data-testid="exception-photo" src={shown.dataUrl} width={ex.photo.width} height={ex.photo.height} alt={pick(FINGER_LABELS[ex.finger], lang)} />
                  ) : shown ? (
                    <p class="empty">{tr('photoLoading')}</p>
                  ) : (
                    <button
                      type="button"
                      class="obtn"
                      data-testid={`show-photo-${k.kioskId}`}
                      onClick={() => {
                        setPhotos((prev) => new Map(prev).set(k.kioskId, { exceptionId: ex.id }));
                        command(k.kioskId, { kind: 'show-photo', exceptionId: ex.id });
                      }}
                    >
                      {tr('showPhoto')}
                    </button>
                  )}
                  <div class="exception-actions">
                    <button type="button" class="obtn obtn-good" data-testid={`approve-${k.kioskId}`} onClick={() => command(k.kioskId, { kind: 'decide-exception', exceptionId: ex.id, approve: true })}>
                      {tr('approve')}
                    </button>
                    <button type="button" class="obtn obtn-bad" data-testid={`refuse-${k.kioskId}`} onClick={() => command(k.kioskId, { kind: 'decide-exception', exceptionId: ex.id, approve: false })}>
                      {tr('refuse')}
                    </button>
                  </div>
                </div>
              );
            })}
          </section>
        </div>
        <section class="hall" data-testid="hall">
          <h2 class="hall-title">
            {tr('kiosks')} <span class="count">{list.length}</span>
          </h2>
          <div class="grid">
            {list.map((k) => (
              <KioskCard key={k.kioskId} k={k} tr={tr} lang={lang} since={since} command={command} />
            ))}
          </div>
        </section>
      </main>
    </div>
  );
}

function KioskCard({ k, tr, lang, since, command }: { readonly k: HallKiosk; readonly tr: Tr; readonly lang: Lang; readonly since: (iso: string | undefined) => number; readonly command: (kioskId: string, cmd: OpsCommand) => void }) {
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (!confirming) return undefined;
    const t = setTimeout(() => setConfirming(false), 4000);
    return () => clearTimeout(t);
  }, [confirming]);
  const s = k.status;
  const up = k.link === 'up' && s !== undefined;
  const bad = s ? Object.entries(s.devices).filter(([, st]) => st !== 'ready' && st !== 'busy') : [];
  const tone = !up ? 'card-down' : s.help || s.exception ? 'card-call' : !s.service.inService ? 'card-off' : s.inSession ? 'card-busy' : 'card-idle';
  const outByOfficer = s?.service.reason === 'officer';
  return (
    <article class={`card ${tone}`} data-testid={`kiosk-${k.kioskId}`} data-link={k.link}>
      <header class="card-head">
        <h3>{k.label ?? k.kioskId}</h3>
        <span class="card-id">{k.label ? k.kioskId : ''}</span>
      </header>
      {!up ? (
        <p class="card-down-text">
          {tr('down')}
          {k.lastHeardAt ? ` · ${duration(since(k.lastHeardAt), lang)}` : ''}
        </p>
      ) : (
        <>
          <p class="card-screen" data-testid="screen">
            <strong>{pick(SCREEN_NAMES[s.screen], lang, s.screen)}</strong>
            {s.inSession ? (
              <span class="card-step">
                {' '}
                · {duration(since(s.stepSince), lang)} {tr('inStep')}
              </span>
            ) : null}
          </p>
          {!s.service.inService ? (
            <p class="card-service" data-testid="service">
              {s.service.reason === 'officer' ? `${tr('stoppedByOfficer')} ${s.service.officer ?? ''}` : s.service.reason === 'technician' ? tr('stoppedByTechnician') : tr('stoppedByDevices')}
            </p>
          ) : outByOfficer ? (
            <p class="card-service" data-testid="service">
              {tr('stoppedByOfficer')} {s.service.officer ?? ''} · {tr('pendingStop')}
            </p>
          ) : null}
          <p class={`card-devices ${bad.length ? 'card-devices-bad' : ''}`} data-testid="devices">
            {bad.length === 0 ? tr('devicesOk') : bad.map(([d, st]) => `${pick(DEVICE_LABELS[d], lang, d)}: ${pick(STATE_LABELS[st], lang, st)}`).join(' · ')}
          </p>
          <p class="card-facts" data-testid="facts">
            {tr('today')}: <strong>{s.today.completed}</strong> {tr('completed')}, {s.today.abandoned} {tr('abandoned')} · {tr('outbox')}: {s.outbox.pending}
            {s.outbox.oldestPendingAgeS !== null && s.outbox.pending > 0 ? ` (${tr('oldest')} ${duration(s.outbox.oldestPendingAgeS, lang)})` : ''}
          </p>
          <div class="card-actions">
            {s.inSession ? (
              <button
                type="button"
                class={`obtn ${confirming ? 'obtn-bad' : ''}`}
                data-testid={`end-${k.kioskId}`}
                onClick={() => {
                  if (!confirming) return setConfirming(true);
                  setConfirming(false);
                  command(k.kioskId, { kind: 'end-session' });
                }}
              >
                {confirming ? tr('confirmEnd') : tr('endSession')}
              </button>
            ) : null}
            {outByOfficer ? (
              <button type="button" class="obtn" data-testid={`service-${k.kioskId}`} onClick={() => command(k.kioskId, { kind: 'service', on: false })}>
                {tr('backInService')}
              </button>
            ) : (
              <button type="button" class="obtn" data-testid={`service-${k.kioskId}`} onClick={() => command(k.kioskId, { kind: 'service', on: true })}>
                {tr('outOfService')}
              </button>
            )}
          </div>
        </>
      )}
    </article>
  );
}
